package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The paging readers on their own against dynalite: a reader stopped after any item and opened again
 * with the saved ExecutionContext (as a restarted step is) continues at the very next item, also in the
 * middle of a page, and the saved position is plain JSON text.
 */
class DynamoDbPagingItemReaderTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static String table;
    private static final int ITEMS = 95;

    @BeforeAll
    static void fill() {
        table = "reader-" + UUID.randomUUID().toString().substring(0, 8);
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(table);
        for (int i = 0; i < ITEMS; i++) {
            String sk = String.format("2026-01-01T00:00:%02d.000000+00:00", i % 60) + (i >= 60 ? "b" : "a");
            int n = i;
            dynamoDb.putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(n < 50 ? "MSG#one" : "MSG#two"),
                    "sk", AttributeValue.fromS(sk), "message_group_uuid", AttributeValue.fromS("g" + (n % 3)),
                    "n", AttributeValue.fromN(String.valueOf(n)))));
        }
    }

    @Test
    void scanSegmentsStoppedAnywhereResumeAtTheNextItem() {
        List<Integer> all = new ArrayList<>();
        for (int segment = 0; segment < 3; segment++) {
            int s = segment;
            // Page size 7; stop after 1, 7 (a page end), 10 (mid page) ... items and reopen each time.
            all.addAll(readInStops(() -> DynamoDbScanItemReader.builder().dynamoDb(dynamoDb).tableName(table)
                    .segment(s, 3).pageSize(7).build(), 1, 7, 10, 3));
        }
        assertThat(all).hasSize(ITEMS).doesNotHaveDuplicates();
    }

    @Test
    void queryNewestFirstResumesInOrderAndOnAnIndexToo() {
        List<Integer> desc = readInStops(() -> DynamoDbQueryItemReader.builder().dynamoDb(dynamoDb).tableName(table)
                .keyCondition("pk = :pk").value(":pk", "MSG#one").ascending(false).pageSize(4).build(), 5, 4, 9);
        assertThat(desc).hasSize(50);
        // The sort keys are n's seconds; newest first is n descending.
        assertThat(desc).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // On the GSI the position holds the index key and the table key; found by DescribeTable.
        List<Integer> onIndex = readInStops(() -> DynamoDbQueryItemReader.builder().dynamoDb(dynamoDb).tableName(table)
                .indexName("message-group-sk-index").keyCondition("message_group_uuid = :g").value(":g", "g1")
                .pageSize(3).build(), 2, 5);
        assertThat(onIndex).hasSize((int) java.util.stream.IntStream.range(0, ITEMS).filter(i -> i % 3 == 1).count())
                .doesNotHaveDuplicates().allMatch(i -> i % 3 == 1);
    }

    @Test
    void positionIsPlainJsonTextOfTheLastKey() {
        DynamoDbScanItemReader reader = DynamoDbScanItemReader.builder().name("scan").dynamoDb(dynamoDb)
                .tableName(table).keyAttributes("pk", "sk").pageSize(10).build();
        ExecutionContext context = new ExecutionContext();
        reader.open(context);
        Map<String, AttributeValue> item = reader.read();
        reader.update(context);
        reader.close();
        assertThat(context.getString("scan.last-key")).isEqualTo("{\"pk\":{\"S\":\"" + item.get("pk").s()
                + "\"},\"sk\":{\"S\":\"" + item.get("sk").s() + "\"}}");
        assertThat(context.getLong("scan.read.count")).isEqualTo(1);
    }

    /** Reads everything, closing and reopening with the saved context after each given number of items. */
    private static List<Integer> readInStops(java.util.function.Supplier<DynamoDbPagingItemReader> newReader,
            int... stops) {
        List<Integer> read = new ArrayList<>();
        ExecutionContext context = new ExecutionContext();
        int stop = 0;
        while (true) {
            DynamoDbPagingItemReader reader = newReader.get();
            reader.open(context);
            int limit = stop < stops.length ? stops[stop++] : Integer.MAX_VALUE;
            Map<String, AttributeValue> item = null;
            for (int i = 0; i < limit && (item = reader.read()) != null; i++) {
                read.add(Integer.parseInt(item.get("n").n()));
            }
            reader.update(context);
            reader.close();
            // A fresh context object, as the job repository hands back: only what update() saved survives.
            context = new ExecutionContext(context);
            if (item == null) {
                return read;
            }
        }
    }
}
