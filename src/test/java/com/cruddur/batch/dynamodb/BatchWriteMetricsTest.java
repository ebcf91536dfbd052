package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Emulators;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;
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
 * The writer's retry counters on a throttled run, read from a Prometheus registry's scrape output as a
 * metrics file or the Pushgateway gets them. dynalite neither throttles nor returns UnprocessedItems, so
 * {@link AwsProxy} (a protocol-level stub in front of it) answers chosen BatchWriteItem calls with the
 * service's response shapes; the SDK client has its own retries off, so every retry is the writer's.
 */
class BatchWriteMetricsTest {

    @Test
    void retriesAndUnprocessedItemsAreCountedPerTable() throws Exception {
        String table = "metrics-" + System.nanoTime();
        AwsClients.dynamoDb().createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).billingMode("PAY_PER_REQUEST"));
        AwsClients.awaitTableActive(table);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicInteger calls = new AtomicInteger();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                var writer = DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(client(proxy.endpoint()))
                        .tableName(table).keyAttributes("pk").itemMapper(item -> item).concurrency(1)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(50)).meterRegistry(meters).build()) {
            // One request at a time: calls 1-3 come back with all 25 items unprocessed, calls 4-5 are throttled.
            proxy.fault((operation, body) -> {
                int call = operation.equals("BatchWriteItem") ? calls.incrementAndGet() : 0;
                if (call >= 1 && call <= 3) {
                    return DynamoDbBatchItemWriterTest.allUnprocessed(body);
                }
                if (call == 4 || call == 5) {
                    return AwsProxy.Response.error(400, "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded.");
                }
                return null;
            });
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                items.add(Map.of("pk", AttributeValue.fromS("p" + i), "message", AttributeValue.fromS("v")));
            }
            writer.write(new Chunk<>(items));

            assertThat(AwsClients.dynamoDb().scanPaginator(r -> r.tableName(table)).stream().mapToInt(p -> p.count())
                    .sum()).isEqualTo(100);
            assertThat(writer.requestCount()).isEqualTo(4 + 5);
        }
        String scrape = meters.scrape();
        assertThat(scrape)
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_retries_total\\{table=\"" + table + "\"\\} 5\\.0$")
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_unprocessed_total\\{table=\"" + table + "\"\\} 75\\.0$");
    }

    private static DynamoDbClient client(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
