package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.Pushgateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB writer's retry counters in a run's metrics file and at a real Prometheus Pushgateway
 * (Debian's prometheus-pushgateway, on a free port): table-import into a table whose first
 * BatchWriteItem calls come back with every item unprocessed. dynalite never does that, so
 * {@link AwsProxy} (a protocol-level stub in front of it) answers those calls with the service's response
 * shape; the job's own SDK client does not retry UnprocessedItems, so the retries are the writer's.
 */
class TableImportMetricsTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @TempDir
    Path tmp;

    @Test
    void retriedAndUnprocessedItemsOfAThrottledImportAreWrittenAndPushed() throws Exception {
        String source = TestTables.create(dynamoDb, "metrics-src");
        // 58 messages and their 2 group rows: 60 items
        TestTables.put(dynamoDb, source, TestTables.conversation("m", 58, 100));
        Path dir = tmp.resolve("export");
        Cli.Result exported = new Cli().run("table-export", "table=" + source, "dir=" + dir, "segments=1");
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        String target = TestTables.create(dynamoDb, "metrics-dst");
        Path metrics = tmp.resolve("cruddur-batch.prom");

        AtomicInteger calls = new AtomicInteger();
        String pushed;
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite()); Pushgateway gateway = new Pushgateway()) {
            // One file, chunks of 25 items (one request each, written before the next chunk): the first
            // request comes back unprocessed twice, so its 25 items are sent three times.
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && calls.incrementAndGet() <= 2
                    ? new AwsProxy.Response(200, body.replaceFirst("\"RequestItems\"", "\"UnprocessedItems\"")) : null);
            Cli.Result imported = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString())
                    .property("cruddur.metrics.file", metrics.toString())
                    .property("management.prometheus.metrics.export.pushgateway.enabled", "true")
                    .property("management.prometheus.metrics.export.pushgateway.address", gateway.address())
                    .run("table-import", "table=" + target, "dir=" + dir, "chunk-size=25");
            assertThat(imported.exitCode()).as(imported.toString()).isZero();
            pushed = gateway.metrics();
        }

        assertThat(TestTables.scanAll(dynamoDb, target)).hasSize(60);
        assertThat(Files.readString(metrics))
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_retries_total\\{table=\"" + target + "\"\\} 2\\.0$")
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_unprocessed_total\\{table=\"" + target + "\"\\} 50\\.0$");
        // The Pushgateway adds its grouping labels (job, instance) and may write the value without ".0".
        assertThat(pushed)
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_retries_total\\{.*table=\"" + target + "\".*\\} 2(\\.0)?$")
                .containsPattern("(?m)^cruddur_dynamodb_batchwrite_unprocessed_total\\{.*table=\"" + target + "\".*\\} 50(\\.0)?$");
    }
}
