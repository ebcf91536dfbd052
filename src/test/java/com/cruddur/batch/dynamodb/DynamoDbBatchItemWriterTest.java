package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The writer against real dynalite. dynalite never returns UnprocessedItems and never throttles, so
 * those cases go through {@link AwsProxy}, a protocol-level stub in front of dynalite that answers
 * chosen BatchWriteItem calls itself with the service's real response shapes: a 200 whose
 * {@code UnprocessedItems} holds the request's items, or a 400
 * {@code ProvisionedThroughputExceededException}. The SDK client used there has its own retries off,
 * so what is retried is the writer's doing.
 */
class DynamoDbBatchItemWriterTest {

    private String table;

    @BeforeEach
    void createTable() {
        table = "writer-" + System.nanoTime();
        DynamoDbClient dynamoDb = AwsClients.dynamoDb();
        dynamoDb.createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .billingMode("PAY_PER_REQUEST"));
        AwsClients.awaitTableActive(table);
    }

    @Test
    void writesEveryItemOfAChunkInRequestsOfAtMost25WithSeveralInFlight() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                DynamoDbBatchItemWriter<Map<String, AttributeValue>> writer = writer(client(proxy.endpoint()), 4, 5)) {
            writer.write(new Chunk<>(items(0, 1000, "v")));

            assertThat(count()).isEqualTo(1000);
            assertThat(proxy.operations()).hasSize(40).containsOnly("BatchWriteItem");
            assertThat(writer.requestCount()).isEqualTo(40);
        }
    }

    @Test
    void aKeyGivenTwiceInAChunkIsWrittenOnceWithTheLastValue() throws Exception {
        try (var writer = writer(AwsClients.dynamoDb(), 2, 5)) {
            List<Map<String, AttributeValue>> chunk = new ArrayList<>(items(0, 10, "first"));
            chunk.addAll(items(5, 10, "second"));
            // dynalite, like DynamoDB, rejects a request that holds one key twice: this fails without de-duplication.
            writer.write(new Chunk<>(chunk));

            assertThat(count()).isEqualTo(10);
            assertThat(valueOf(3)).isEqualTo("first");
            assertThat(valueOf(7)).isEqualTo("second");
        }
    }

    @Test
    void deletesGoOutOnlyAfterEveryPutOfTheChunkIsWritten() throws Exception {
        AwsClients.dynamoDb().batchWriteItem(r -> r.requestItems(Map.of(table, items(0, 20, "old").stream()
                .map(DynamoDbBatchItemWriter::put).toList())));
        List<String> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder()
                        .client(client(proxy.endpoint())).tableName(table).keyAttributes("pk", "sk").concurrency(4)
                        // each value replaces p<i> by q<i>: put the new item, delete the old one
                        .writeRequestsMapper(item -> List.of(DynamoDbBatchItemWriter.put(Map.of("pk",
                                AttributeValue.fromS("q" + item.get("pk").s().substring(1)), "sk", item.get("sk"))),
                                DynamoDbBatchItemWriter.delete(Map.of("pk", item.get("pk"), "sk", item.get("sk")))))
                        .build()) {
            proxy.fault((operation, body) -> {
                kinds.add(body.contains("DeleteRequest") ? "delete" : "put");
                return null;
            });
            writer.write(new Chunk<>(items(0, 20, "old")));

            assertThat(kinds).hasSize(2).containsExactly("put", "delete");
            assertThat(count()).isEqualTo(20);
            assertThat(AwsClients.dynamoDb().scan(r -> r.tableName(table)).items())
                    .allMatch(i -> i.get("pk").s().startsWith("q"));
        }
    }

    @Test
    void unprocessedItemsAreSentAgainUntilWritten() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writer(client(proxy.endpoint()), 3, 10)) {
            // The first three calls come back with every item unprocessed, as DynamoDB does under load.
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && calls.incrementAndGet() <= 3
                    ? allUnprocessed(body) : null);
            writer.write(new Chunk<>(items(0, 100, "v")));

            assertThat(count()).isEqualTo(100);
            assertThat(writer.requestCount()).isEqualTo(4 + 3);
            assertThat(writer.retriedItemCount()).isEqualTo(75);
        }
    }

    @Test
    void throttlingIsRetriedWithBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writer(client(proxy.endpoint()), 2, 10)) {
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && calls.incrementAndGet() <= 4
                    ? AwsProxy.Response.error(400, "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded.")
                    : null);
            writer.write(new Chunk<>(items(0, 60, "v")));

            assertThat(count()).isEqualTo(60);
            assertThat(writer.requestCount()).isEqualTo(3 + 4);
        }
    }

    @Test
    void itemsStillUnprocessedAfterTheLastAttemptFailTheChunkWithAClearError() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writer(client(proxy.endpoint()), 2, 4)) {
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") ? allUnprocessed(body) : null);

            assertThatThrownBy(() -> writer.write(new Chunk<>(items(0, 30, "v"))))
                    .isInstanceOf(DynamoDbBatchItemWriter.DynamoDbBatchWriteException.class)
                    .hasMessageContaining("item(s) not written to table " + table + " after 4 BatchWriteItem attempts")
                    .hasMessageContaining("came back unprocessed");
            assertThat(writer.requestCount()).as("both requests ran to their last attempt").isEqualTo(8);
        }
    }

    @Test
    void otherErrorsFailAtOnce() throws Exception {
        try (var writer = DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(AwsClients.dynamoDb())
                .tableName("no-such-table-" + System.nanoTime()).keyAttributes("pk", "sk").itemMapper(item -> item)
                .build()) {
            assertThatThrownBy(() -> writer.write(new Chunk<>(items(0, 3, "v"))))
                    .isInstanceOf(DynamoDbBatchItemWriter.DynamoDbBatchWriteException.class)
                    .hasMessageContaining("3 item(s) not written");
            assertThat(writer.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void anItemOverTheSizeLimitIsRefusedBeforeAnyRequest() throws Exception {
        try (var writer = writer(AwsClients.dynamoDb(), 1, 2)) {
            Map<String, AttributeValue> big = new HashMap<>(items(0, 1, "v").get(0));
            big.put("message", AttributeValue.fromS("x".repeat(410 * 1024)));
            assertThatThrownBy(() -> writer.write(new Chunk<>(List.of(big))))
                    .isInstanceOf(DynamoDbBatchItemWriter.ItemTooLargeException.class)
                    .hasMessageContaining("pk=p0");
            assertThat(writer.requestCount()).isZero();
        }
    }

    /** The message becomes the run's reason line and an ERROR log: key values and attribute names, no content. */
    @Test
    void anItemWithoutAKeyAttributeIsRefusedNamingKeysAndAttributesButNoValues() throws Exception {
        try (var writer = writer(AwsClients.dynamoDb(), 1, 2)) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS("MSG#g1"));
            item.put("message", AttributeValue.fromS("a very private message"));
            item.put("user_display_name", AttributeValue.fromS("Secret Person"));
            assertThatThrownBy(() -> writer.write(new Chunk<>(List.of(item))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an item for table " + table + " has no key attribute 'sk' (pk=MSG#g1, sk=null); "
                            + "its attributes: message, pk, user_display_name");
            assertThat(writer.requestCount()).isZero();
        }
    }

    @Test
    void writeBehindReturnsBeforeTheChunkIsWrittenAndTheNextWriteWaitsForIt() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writeBehindWriter(client(proxy.endpoint()))) {
            proxy.fault((operation, body) -> {
                sleep(1000); // every request takes a second or more: long enough to see what write waits for
                return null;
            });
            long start = System.nanoTime();
            writer.write(new Chunk<>(items(0, 50, "v")));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
            assertThat(count()).as("nothing written yet when write returned").isZero();

            writer.write(new Chunk<>(items(50, 100, "v")));
            assertThat(count()).as("the first chunk is written before the second is sent").isGreaterThanOrEqualTo(50);
            writer.flush();
            assertThat(count()).isEqualTo(100);
        }
    }

    @Test
    void aChunkThatFailedBehindFailsTheNextWriteAndTheReaderSavesThePositionBeforeIt() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writeBehindWriter(client(proxy.endpoint()))) {
            CheckpointBehindReader<Map<String, AttributeValue>> reader = new CheckpointBehindReader<>(
                    new ListStreamReader(items(0, 100, "v")), writer);
            ExecutionContext saved = new ExecutionContext();
            reader.open(saved);

            writer.write(new Chunk<>(read(reader, 25))); // chunk 1: written behind, succeeds
            reader.update(saved);                         // commit 1
            assertThat(saved.getInt("list.read.count")).as("commit 1 saves the start").isZero();

            // Chunk 2 (items p25-p49, one request) fails; chunk 1 may still be in flight, and must not.
            proxy.fault((operation, body) -> body.contains("\"p40\"")
                    ? AwsProxy.Response.error(500, "InternalServerError", "disk on fire") : null);
            writer.write(new Chunk<>(read(reader, 25))); // chunk 2: sent; its failure shows only later
            reader.update(saved);                         // commit 2
            assertThat(saved.getInt("list.read.count")).as("commit 2 saves the end of chunk 1").isEqualTo(25);

            List<Map<String, AttributeValue>> third = read(reader, 25);
            assertThatThrownBy(() -> writer.write(new Chunk<>(third)))
                    .isInstanceOf(DynamoDbBatchItemWriter.DynamoDbBatchWriteException.class)
                    .hasMessageContaining("25 item(s) not written");
            // The step fails without committing chunk 3: the saved position is still the end of chunk 1, so a
            // restart writes chunks 2 and 3 again. Chunk 3 was already queued behind chunk 2 and has ended
            // too (written, harmlessly: puts are idempotent): nothing is left in flight.
            assertThat(saved.getInt("list.read.count")).isEqualTo(25);
            assertThat(count()).isEqualTo(50);
            assertThat(valueOf(30)).isNull();
        }
    }

    @Test
    void aKeyInTwoChunksWrittenBehindEndsWithTheLaterValue() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writeBehindWriter(client(proxy.endpoint()))) {
            // The first chunk's requests are slow: had the second chunk's gone out beside them, the older
            // values would land last.
            proxy.fault((operation, body) -> {
                if (body.contains("\"old\"")) {
                    sleep(400);
                }
                return null;
            });
            writer.write(new Chunk<>(items(0, 10, "old")));
            writer.write(new Chunk<>(items(5, 15, "new")));
            writer.flush();

            assertThat(valueOf(4)).isEqualTo("old");
            for (int i = 5; i < 15; i++) {
                assertThat(valueOf(i)).as("p" + i).isEqualTo("new");
            }
        }
    }

    @Test
    void whenTheInputEndsTheLastChunkIsWrittenBeforeWriteReturns() throws Exception {
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = writeBehindWriter(client(proxy.endpoint()))) {
            proxy.fault((operation, body) -> {
                sleep(200);
                return null;
            });
            CheckpointBehindReader<Map<String, AttributeValue>> reader = new CheckpointBehindReader<>(
                    new ListStreamReader(items(0, 40, "v")), writer);
            reader.open(new ExecutionContext());
            writer.write(new Chunk<>(read(reader, 30)));
            List<Map<String, AttributeValue>> last = read(reader, 30); // 10 items, then the end of the input
            assertThat(last).hasSize(10);
            assertThat(count()).as("the end of the input waited for chunk 1").isEqualTo(30);

            writer.write(new Chunk<>(last));
            assertThat(count()).as("the last chunk is written when write returns").isEqualTo(40);
        }
    }

    private DynamoDbBatchItemWriter<Map<String, AttributeValue>> writeBehindWriter(DynamoDbClient client) {
        return DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(client).tableName(table)
                .keyAttributes("pk", "sk").itemMapper(item -> item).concurrency(4).maxAttempts(1).writeBehind(true).build();
    }

    private static List<Map<String, AttributeValue>> read(CheckpointBehindReader<Map<String, AttributeValue>> reader,
            int max) throws Exception {
        List<Map<String, AttributeValue>> chunk = new ArrayList<>();
        for (Map<String, AttributeValue> item; chunk.size() < max && (item = reader.read()) != null;) {
            chunk.add(item);
        }
        return chunk;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A restartable reader over a list: its position is Spring Batch's item count ({@code list.read.count}). */
    static final class ListStreamReader extends AbstractItemCountingItemStreamItemReader<Map<String, AttributeValue>> {

        private final List<Map<String, AttributeValue>> items;

        ListStreamReader(List<Map<String, AttributeValue>> items) {
            this.items = items;
            setName("list");
        }

        @Override
        protected Map<String, AttributeValue> doRead() {
            return getCurrentItemCount() <= items.size() ? items.get(getCurrentItemCount() - 1) : null;
        }

        @Override
        protected void doOpen() {
        }

        @Override
        protected void doClose() {
        }
    }

    /** The real response shape: the request's items, unchanged, under UnprocessedItems. */
    static AwsProxy.Response allUnprocessed(String requestBody) {
        return new AwsProxy.Response(200, requestBody.replaceFirst("\"RequestItems\"", "\"UnprocessedItems\""));
    }

    private DynamoDbBatchItemWriter<Map<String, AttributeValue>> writer(DynamoDbClient client, int concurrency,
            int maxAttempts) {
        return DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(client).tableName(table)
                .keyAttributes("pk", "sk").itemMapper(item -> item).concurrency(concurrency).maxAttempts(maxAttempts)
                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).build();
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    private static List<Map<String, AttributeValue>> items(int from, int to, String value) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = from; i < to; i++) {
            items.add(Map.of(MessageKeys.PK, AttributeValue.fromS("p" + i), MessageKeys.SK, AttributeValue.fromS("s"),
                    "message", AttributeValue.fromS(value)));
        }
        return items;
    }

    private int count() {
        return AwsClients.dynamoDb().scanPaginator(r -> r.tableName(table)).stream().mapToInt(p -> p.count()).sum();
    }

    /** The item's message, or null when there is no such item. */
    private String valueOf(int i) {
        Map<String, AttributeValue> item = AwsClients.dynamoDb().getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("p" + i), "sk", AttributeValue.fromS("s")))).item();
        return item == null || item.isEmpty() ? null : item.get("message").s();
    }
}
