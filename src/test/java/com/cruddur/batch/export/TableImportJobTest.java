package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** table-import against dynalite: the round trip, and every way an export can be refused before writing. */
class TableImportJobTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static String source;
    private static List<Map<String, AttributeValue>> sourceItems;

    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    @BeforeAll
    static void fill() {
        source = TestTables.create(dynamoDb, "import-src");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            items.addAll(TestTables.conversation("i" + c, 40, 1500));
        }
        items.addAll(TestTables.oddItems());
        TestTables.put(dynamoDb, source, items);
        sourceItems = TestTables.scanAll(dynamoDb, source);
    }

    @Test
    void exportDropImportExportGivesIdenticalContent() throws Exception {
        String table = TestTables.create(dynamoDb, "roundtrip");
        TestTables.put(dynamoDb, table, sourceItems);
        Path first = tmp.resolve("first");
        assertThat(run("table-export", "table=" + table, "dir=" + first, "segments=3", "gzip=true").exitCode()).isZero();

        assertOk(cli.run("drop-table", "table=" + table, "confirm=" + table));
        assertOk(cli.run("schema-load", "table=" + table));
        assertThat(TestTables.scanAll(dynamoDb, table)).isEmpty();

        Cli.Result imported = run("table-import", "table=" + table, "dir=" + first, "chunk-size=100");
        assertOk(imported);
        assertThat(imported.out()).contains("imported " + sourceItems.size() + " items from " + first + " (3 files,");

        Path second = tmp.resolve("second");
        assertOk(run("table-export", "table=" + table, "dir=" + second, "segments=3", "gzip=true"));
        assertThat(TestTables.canonical(TestTables.exportedItems(second)))
                .containsExactlyElementsOf(TestTables.canonical(TestTables.exportedItems(first)))
                .containsExactlyElementsOf(TestTables.canonical(sourceItems));
    }

    @Test
    void aFileThatDoesNotMatchItsChecksumStopsTheImportBeforeItWrites() throws Exception {
        Path dir = export("tampered", 2);
        Path file = dir.resolve("data/segment-0001-of-0002.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(5, lines.get(5).replace("lorem", "LOREM"));
        Files.write(file, lines);
        String target = TestTables.create(dynamoDb, "import-tampered");

        Cli.Result result = run("table-import", "table=" + target, "dir=" + dir);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("reason: data/segment-0001-of-0002.json: SHA-256 ",
                "differs from the manifest's", "nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();
    }

    @Test
    void aManifestWhoseCountsDisagreeStopsTheImportBeforeItWrites() throws Exception {
        Path dir = export("miscounted", 2);
        Path manifest = dir.resolve("manifest.json");
        String text = Files.readString(manifest);
        long count = ExportManifest.readFrom(manifest).files().get(0).itemCount();
        Files.writeString(manifest, text.replaceFirst("\"itemCount\" : " + count + ",", "\"itemCount\" : " + (count + 1) + ","));
        String target = TestTables.create(dynamoDb, "import-miscounted");

        Cli.Result result = run("table-import", "table=" + target, "dir=" + dir);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("reason: data/segment-0000-of-0002.json: " + count
                + " items, the manifest says " + (count + 1) + "; nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();
    }

    @Test
    void aTableWithAnotherKeySchemaIsRefused() throws Exception {
        Path dir = export("keys", 1);
        String other = "import-other-keys-" + System.nanoTime();
        dynamoDb.createTable(r -> r.tableName(other)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).billingMode("PAY_PER_REQUEST"));
        AwsClients.awaitTableActive(other);

        Cli.Result result = run("table-import", "table=" + other, "dir=" + dir);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("reason: table " + other + " has key pk HASH S but the export (of " + source
                + ") has pk HASH S, sk RANGE S; nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, other)).isEmpty();
    }

    @Test
    void aCorruptLineNamesFileAndLineAndTheFixedImportResumesThatFileOnly() throws Exception {
        Path dir = export("corrupt", 2);
        Path file = dir.resolve("data/segment-0001-of-0002.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String good = lines.get(119);
        // A hand-edited or foreign export whose manifest agrees with its files: only parsing finds it.
        lines.set(119, good.substring(0, good.length() - 3));
        Files.write(file, lines);
        rewriteChecksum(dir, 1);
        String target = TestTables.create(dynamoDb, "import-corrupt");

        Cli.Result failed = run("table-import", "table=" + target, "dir=" + dir, "chunk-size=50", "threads=1");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.out()).contains("reason: data/segment-0001-of-0002.json line 120: not valid JSON");
        long file0 = ExportManifest.readFrom(dir.resolve("manifest.json")).files().get(0).itemCount();
        // All of file 0, and file 1's chunks before the bad line (lines 1-100).
        assertThat(TestTables.scanAll(dynamoDb, target)).hasSize((int) file0 + 100);

        lines.set(119, good);
        Files.write(file, lines);
        rewriteChecksum(dir, 1);
        Cli.Result resumed = run("table-import", "table=" + target, "dir=" + dir, "chunk-size=50", "threads=1");

        assertOk(resumed);
        assertThat(resumed.err()).contains("restarting instance");
        // Only the failed file ran again, from its last committed line.
        assertThat(resumed.out()).doesNotContain("import-file:segment-0000-of-0002.json")
                .containsPattern("step import-file:segment-0001-of-0002.json +COMPLETED +read " + (lines.size() - 100)
                        + ", written " + (lines.size() - 100));
        assertThat(TestTables.canonical(TestTables.scanAll(dynamoDb, target)))
                .containsExactlyElementsOf(TestTables.canonical(sourceItems));
    }

    /**
     * A hand-made export (manifest checksums rewritten) with an item lacking {@code sk}: the import fails at
     * that line, naming file and line, before the chunk holding it is written. Run as its own JVM so that
     * the whole output is seen, log lines included: the item's text appears nowhere in it.
     */
    @Test
    void anItemWithoutItsSortKeyFailsAtItsLineAndNoOutputShowsItsContent() throws Exception {
        Path dir = export("keyless", 1);
        Path file = dir.resolve("data/segment-0000-of-0001.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(129, lines.get(129).replaceFirst("\"sk\":\\{\"S\":\"[^\"]*\"\\},", "")
                .replaceFirst("\"message\":\\{\"S\":\"[^\"]*\"\\}", "\"message\":{\"S\":\"PRIVATE-TEXT-4711\"}"));
        assertThat(lines.get(129)).contains("PRIVATE-TEXT-4711").doesNotContain("\"sk\"");
        Files.write(file, lines);
        rewriteChecksum(dir, 0);
        String target = TestTables.create(dynamoDb, "import-keyless");

        com.cruddur.batch.support.ChildLauncher child = com.cruddur.batch.support.ChildLauncher.start(cli,
                "table-import", "table=" + target, "dir=" + dir, "chunk-size=50", "threads=1");
        assertThat(child.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String output = child.output();

        assertThat(child.process.exitValue()).as(output).isEqualTo(ExitCodes.FAILED);
        assertThat(output).contains("reason: data/segment-0000-of-0001.json line 130: item has no key attribute 'sk' "
                + "(the key is pk HASH S, sk RANGE S); nothing of this line was written");
        assertThat(output).doesNotContain("PRIVATE-TEXT-4711");
        // The chunks before the bad line's (lines 1-100) only.
        assertThat(TestTables.scanAll(dynamoDb, target)).hasSize(100);
    }

    @Test
    void aMissingTableAnUnreadableManifestAndAFileOutsideTheFolderAreNamedAndNothingIsWritten() throws Exception {
        Path dir = export("refusals", 2);
        Cli.Result noTable = run("table-import", "table=no-such-table", "dir=" + dir);
        assertThat(noTable.exitCode()).as(noTable.toString()).isEqualTo(1);
        assertThat(noTable.out()).contains("reason: table no-such-table does not exist; nothing was imported");

        String target = TestTables.create(dynamoDb, "import-refusals");
        Path manifest = dir.resolve("manifest.json");
        String good = Files.readString(manifest);
        Path outside = Files.writeString(tmp.resolve("outside.json"), "");
        for (String path : List.of(outside.toString(), "../outside.json")) {
            Files.writeString(manifest, good.replace("data/segment-0001-of-0002.json", path));
            Cli.Result refused = run("table-import", "table=" + target, "dir=" + dir);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).contains("reason: " + manifest + " names " + path + ", which is not inside "
                    + dir + "; refused, nothing was imported");
        }

        Files.writeString(manifest, good.substring(0, good.length() / 2));
        Cli.Result unreadable = run("table-import", "table=" + target, "dir=" + dir);
        assertThat(unreadable.exitCode()).as(unreadable.toString()).isEqualTo(1);
        assertThat(unreadable.out()).containsPattern("reason: " + java.util.regex.Pattern.quote(manifest.toString())
                + ": not a readable manifest \\(line \\d+, column \\d+\\): ");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();
    }

    /** A truncated gzip whose manifest was made to agree with it: the JDK's message names no file. */
    @Test
    void aTruncatedGzipFileIsNamedAndNothingIsWritten() throws Exception {
        Path dir = tmp.resolve("gz");
        assertOk(run("table-export", "table=" + source, "dir=" + dir, "segments=1", "gzip=true"));
        Path file = dir.resolve("data/segment-0000-of-0001.json.gz");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        rewriteChecksum(dir, 0);
        String target = TestTables.create(dynamoDb, "import-gz");

        Cli.Result refused = run("table-import", "table=" + target, "dir=" + dir);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("reason: " + file + ": not a whole gzip file (Unexpected end of ZLIB input "
                + "stream); nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();
    }

    @Test
    void aFolderWithoutManifestOrACsvExportIsRefused() throws Exception {
        Cli.Result none = run("table-import", "table=" + source, "dir=" + tmp);
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.out()).contains("reason: no manifest.json in " + tmp + ": not a table-export folder");

        Path csv = tmp.resolve("csv");
        assertOk(run("table-export", "table=" + source, "dir=" + csv, "segments=1", "format=csv"));
        Cli.Result refused = run("table-import", "table=" + source, "dir=" + csv);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("format CSV cannot be imported");
    }

    @Test
    void withTheProdProfileItIsRefusedUntilAllowProdIsGiven() {
        Path dir = export("prod", 1);
        String target = TestTables.create(dynamoDb, "import-prod");
        Cli prod = new Cli().property("spring.profiles.active", "prod").property("cruddur.aws.region", "us-east-1");

        Cli.Result refused = prod.run("table-import", "table=" + target, "dir=" + dir);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).isEqualTo("error: table-import: refusing to write into " + target
                + " with the prod profile active; add allow-prod=true if you really mean it");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();

        assertOk(prod.run("table-import", "table=" + target, "dir=" + dir, "allow-prod=true"));
        assertThat(TestTables.canonical(TestTables.scanAll(dynamoDb, target)))
                .containsExactlyElementsOf(TestTables.canonical(sourceItems));
    }

    private Path export(String name, int segments) {
        Path dir = tmp.resolve(name);
        assertOk(run("table-export", "table=" + source, "dir=" + dir, "segments=" + segments));
        return dir;
    }

    private static void rewriteChecksum(Path dir, int index) throws Exception {
        Path path = dir.resolve("manifest.json");
        ExportManifest m = ExportManifest.readFrom(path);
        List<ExportManifest.DataFile> files = new ArrayList<>(m.files());
        ExportManifest.DataFile f = files.get(index);
        files.set(index, new ExportManifest.DataFile(f.path(), f.segment(), f.itemCount(),
                ExportManifest.sha256(dir.resolve(f.path()))));
        new ExportManifest(m.version(), m.table(), m.format(), m.compression(), m.exportTime(), m.keySchema(),
                m.itemCount(), files).writeTo(dir);
    }

    private Cli.Result run(String... args) {
        return cli.run(args);
    }

    private static void assertOk(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
