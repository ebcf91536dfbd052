package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** table-export against dynalite: every item exactly once, every type intact, manifest that adds up. */
class TableExportJobTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static String table;
    private static List<Map<String, AttributeValue>> tableItems;

    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    @BeforeAll
    static void fill() {
        table = TestTables.create(dynamoDb, "export");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            // 2 KB messages: 1,000+ items and ~2 MB, so even a single segment spans several 1 MB pages.
            items.addAll(TestTables.conversation("c" + c, 35, 2000));
        }
        items.addAll(TestTables.oddItems());
        TestTables.put(dynamoDb, table, items);
        tableItems = TestTables.scanAll(dynamoDb, table);
        assertThat(tableItems).hasSize(items.size());
    }

    @Test
    void exportsEveryItemExactlyOnceAcrossPagesAndSegments() throws Exception {
        Path dir = tmp.resolve("export");
        // page-size 37 and chunk-size 50: chunks end in the middle of pages, pages in the middle of chunks.
        Cli.Result result = cli.run("table-export", "table=" + table, "dir=" + dir, "segments=5", "threads=3",
                "page-size=37", "chunk-size=50");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<Map<String, AttributeValue>> exported = TestTables.exportedItems(dir);
        assertThat(exported).hasSize(tableItems.size());
        assertThat(TestTables.canonical(exported)).containsExactlyElementsOf(TestTables.canonical(tableItems));
        assertThat(result.out()).contains("exported " + tableItems.size() + " items of " + table,
                "step export-segment:segment-0004", "step export ");

        ExportManifest manifest = ExportManifest.readFrom(dir.resolve("manifest.json"));
        assertThat(manifest.table()).isEqualTo(table);
        assertThat(manifest.format()).isEqualTo("DYNAMODB_JSON");
        assertThat(manifest.itemCount()).isEqualTo(tableItems.size());
        assertThat(manifest.keySchema()).containsExactly(new ExportManifest.KeyAttribute("pk", "HASH", "S"),
                new ExportManifest.KeyAttribute("sk", "RANGE", "S"));
        assertThat(manifest.files()).hasSize(5);
        long sum = 0;
        for (ExportManifest.DataFile file : manifest.files()) {
            Path data = dir.resolve(file.path());
            assertThat(TestTables.lines(data)).hasSize((int) file.itemCount());
            assertThat(file.sha256()).isEqualTo(ExportManifest.sha256(data));
            sum += file.itemCount();
        }
        assertThat(sum).isEqualTo(tableItems.size());
        // Each line is the AWS export form.
        assertThat(TestTables.lines(dir.resolve(manifest.files().get(0).path())).get(0)).startsWith("{\"Item\":{\"");
    }

    @Test
    void gzipFilesHoldTheSameItems() throws Exception {
        Path dir = tmp.resolve("gz");
        Cli.Result result = cli.run("table-export", "table=" + table, "dir=" + dir, "segments=3", "gzip=true",
                "chunk-size=100");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        ExportManifest manifest = ExportManifest.readFrom(dir.resolve("manifest.json"));
        assertThat(manifest.compression()).isEqualTo("GZIP");
        assertThat(manifest.files()).extracting(ExportManifest.DataFile::path)
                .containsExactly("data/segment-0000-of-0003.json.gz", "data/segment-0001-of-0003.json.gz",
                        "data/segment-0002-of-0003.json.gz");
        // gzip's own magic number, and much smaller than the text.
        byte[] head = Files.readAllBytes(dir.resolve(manifest.files().get(0).path()));
        assertThat(head[0] & 0xff).isEqualTo(0x1f);
        assertThat(head[1] & 0xff).isEqualTo(0x8b);
        assertThat(TestTables.canonical(TestTables.exportedItems(dir)))
                .containsExactlyElementsOf(TestTables.canonical(tableItems));
    }

    @Test
    void csvHasFixedColumnsAndQuotesWhatNeedsIt() throws Exception {
        Path dir = tmp.resolve("csv");
        Cli.Result result = cli.run("table-export", "table=" + table, "dir=" + dir, "segments=2", "format=csv");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        StringBuilder all = new StringBuilder();
        for (String name : List.of("data/segment-0000-of-0002.csv", "data/segment-0001-of-0002.csv")) {
            String file = Files.readString(dir.resolve(name));
            assertThat(file).startsWith(
                    "kind,pk,sk,message_group_uuid,message_uuid,message,user_uuid,user_display_name,user_handle\n");
            all.append(file);
        }
        String csv = all.toString();
        // The odd item's message holds quote, comma, CR and LF: quoted, quotes doubled, line breaks kept inside.
        assertThat(csv.contains("\nother,ODD#unicode,𝄞 ünïcödé — 中文 — עברית — 🙂👍🏽 — e\u0301,,,"
                + "\"quotes \"\" and \\ backslash,\ncomma, new line\r\ttab \u0001 control\",,,\n"))
                .as("quoted odd item in the CSV").isTrue();
        List<String> lines = csv.lines().toList();
        String group = TestTables.uuid("group-c7").toString();
        assertThat(lines).anyMatch(l -> l.startsWith("message,MSG#" + group + ",2025-12-31T23:59:00.000000+00:00,,"
                + TestTables.uuid("c7-m0") + ",\"c7 #0 lorem ipsum dolor sit amet, "));
        assertThat(lines).anyMatch(l -> l.startsWith("group,GRP#" + TestTables.uuid("alice-c7") + ",")
                && l.contains("," + group + ",,") && l.endsWith(",Bob c7,bobc7"));
        assertThat(ExportManifest.readFrom(dir.resolve("manifest.json")).itemCount()).isEqualTo(tableItems.size());
    }

    @Test
    void refusesAFolderThatHoldsAnExportAndAnUnknownTable() throws Exception {
        Path dir = tmp.resolve("twice");
        assertThat(cli.run("table-export", "table=" + table, "dir=" + dir, "segments=1").exitCode()).isZero();

        Cli.Result again = cli.run("table-export", "table=" + table, "dir=" + dir, "segments=1");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.out()).contains("reason: " + dir + " already holds an export (manifest.json)");

        Cli.Result missing = cli.run("table-export", "table=no-such-table", "dir=" + tmp.resolve("none"));
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.out()).contains("reason: table no-such-table does not exist; nothing was exported");
    }

    /** An unfinished or foreign export's data file of the same name is not overwritten. */
    @Test
    void refusesAFolderThatHoldsADataFileOfTheSameName() throws Exception {
        Path dir = tmp.resolve("busy");
        Path file = dir.resolve("data/segment-0001-of-0002.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "someone else's\n");

        Cli.Result refused = cli.run("table-export", "table=" + table, "dir=" + dir, "segments=2");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("reason: " + dir + " already holds data/segment-0001-of-0002.json (of "
                + "another export); choose another dir= or remove it");
        assertThat(Files.readString(file)).isEqualTo("someone else's\n");
        assertThat(dir.resolve("data/segment-0000-of-0002.json")).doesNotExist();
    }

    /**
     * Progress of the partitioned export, as log lines (the launcher as a child JVM, stderr not a terminal):
     * the manager step's own counts come only at its end, so the line adds up its running partitions'.
     */
    @Test
    void progressCountsTheItemsOfTheRunningSegments() throws Exception {
        com.cruddur.batch.support.ChildLauncher child = com.cruddur.batch.support.ChildLauncher.start(cli,
                List.of("--cruddur.progress.delay=100ms", "--cruddur.progress.log-interval=200ms"), "table-export",
                "table=" + table, "dir=" + tmp.resolve("progress"), "segments=2", "threads=1", "page-size=10",
                "chunk-size=10");
        assertThat(child.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = child.output();
        assertThat(child.process.exitValue()).as(output).isZero();

        List<String> progress = output.lines().filter(l -> l.contains("ProgressReporter - table-export/export:")).toList();
        assertThat(progress).as(output).isNotEmpty().anyMatch(l -> !l.contains("read 0,"));
    }

    /** The JDK's message for a refused connection ("Connection refused") names no endpoint. */
    @Test
    void anEndpointThatIsDownIsNamed() {
        Cli down = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1")
                .property("cruddur.aws.max-attempts", "1");

        Cli.Result failed = down.run("table-export", "table=" + table, "dir=" + tmp.resolve("down"));

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.out()).contains("reason: cannot reach DynamoDb at http://127.0.0.1:1 (DescribeTable): "
                + "Connection refused");
    }

    /** The JDK's message for a folder that cannot be created is the bare path. */
    @Test
    void aFolderThatCannotBeCreatedIsNamedWithWhy() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        Cli.Result refused = cli.run("table-export", "table=" + table, "dir=" + file.resolve("export"));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("reason: cannot create the export folder " + file.resolve("export/data") + ": ");
    }
}
