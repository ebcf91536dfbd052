package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The export killed mid-way (SIGKILL of a child JVM running the launcher) and launched again: every
 * segment resumes after its last committed item, and the files hold every item exactly once.
 * {@link AwsProxy} in front of the real dynalite only slows Scan responses down (it changes none), so
 * that the kill surely lands in the middle of the Scan.
 */
class TableExportRestartTest {

    @TempDir
    Path tmp;

    @Test
    void killedExportResumesEverySegmentAndWritesEveryItemExactlyOnce() throws Exception {
        DynamoDbClient dynamoDb = AwsClients.dynamoDb();
        String table = TestTables.create(dynamoDb, "export-kill");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            items.addAll(TestTables.conversation("k" + c, 40, 300));
        }
        TestTables.put(dynamoDb, table, items);
        List<Map<String, AttributeValue>> tableItems = TestTables.scanAll(dynamoDb, table);
        Path dir = tmp.resolve("export");
        String[] args = {"table-export", "table=" + table, "dir=" + dir, "segments=3", "threads=3", "page-size=10",
                "chunk-size=15"};

        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            // How many Scan calls a whole, uninterrupted export of this table takes.
            Cli.Result whole = cli.run("table-export", "table=" + table, "dir=" + tmp.resolve("whole"), "segments=3",
                    "page-size=10");
            assertThat(whole.exitCode()).as(whole.toString()).isZero();
            long scansOfWholeExport = scans(proxy);
            proxy.operations().clear();

            proxy.fault((operation, body) -> {
                if (operation.equals("Scan")) {
                    sleep(150);
                }
                return null;
            });
            Process child = ChildLauncher.start(cli, args).process;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (scans(proxy) < 25) {
                    assertThat(System.nanoTime()).as("child never got into the Scan").isLessThan(deadline);
                    assertThat(child.isAlive()).as("child ended before it was killed").isTrue();
                    Thread.sleep(20);
                }
                child.destroyForcibly().waitFor();
            }
            finally {
                child.destroyForcibly();
            }
            long scansBeforeKill = scans(proxy);
            assertThat(Files.exists(dir.resolve("manifest.json"))).isFalse();
            // Part of the table is in the files already (and maybe a little more than was committed).
            List<Map<String, AttributeValue>> partial = TestTables.exportedItems(dir);
            assertThat(partial.size()).isBetween(1, tableItems.size() - 1);

            proxy.operations().clear();
            Cli.Result resumed = cli.run(args);

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err()).contains("which is gone; recovered it", "restarting instance");
            List<Map<String, AttributeValue>> exported = TestTables.exportedItems(dir);
            assertThat(exported).hasSize(tableItems.size());
            assertThat(TestTables.canonical(exported)).containsExactlyElementsOf(TestTables.canonical(tableItems));
            assertThat(ExportManifest.readFrom(dir.resolve("manifest.json")).itemCount()).isEqualTo(tableItems.size());
            // Resumed, not rescanned. Read twice, per segment, are at most the pages of the uncommitted chunk
            // (15 items: up to 3 pages of 10), the page in flight at the kill, and one more page because
            // the resumed Scan's pages start at the last committed item, not at the old page boundary.
            // A rescan from the start would read the whole export again on top of the 25+ before the kill.
            long scansAfter = scans(proxy);
            assertThat(scansBeforeKill + scansAfter)
                    .as("scans: whole export %d, before kill %d, after %d", scansOfWholeExport, scansBeforeKill, scansAfter)
                    .isLessThanOrEqualTo(scansOfWholeExport + 3 * 5)
                    .isGreaterThanOrEqualTo(scansOfWholeExport);
            assertThat(scansAfter).isLessThan(scansOfWholeExport);
        }
    }

    private static long scans(AwsProxy proxy) {
        return proxy.operations().stream().filter("Scan"::equals).count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
