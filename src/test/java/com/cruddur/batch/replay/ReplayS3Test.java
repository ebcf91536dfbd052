package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code message-group-replay source=file file=s3://...} against a real s3rver (started once for the class)
 * and dynalite: an object and a prefix give the same group rows as the local file, bad locations are one
 * line and exit 2 before anything is written, a restart after the object was replaced is refused.
 */
class ReplayS3Test {

    private static final String BUCKET = "replay-" + System.nanoTime();
    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static Conversations c;
    private static List<String> records;

    @TempDir
    Path dir;

    @BeforeAll
    static void upload() throws IOException {
        c = Conversations.generate(41, 12, 6);
        records = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            records.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        Collections.shuffle(records, new Random(9));
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        put("records.jsonl.gz", gzip(String.join("\n", records) + "\n"));
        // A "folder" of three objects, one of them deeper, one gzip, and the empty marker object some consoles make.
        int third = records.size() / 3;
        put("batch/", new byte[0]);
        put("batch/1.jsonl", (String.join("\n", records.subList(0, third)) + "\n").getBytes(StandardCharsets.UTF_8));
        put("batch/2.jsonl.gz", gzip(String.join("\n", records.subList(third, 2 * third)) + "\n"));
        put("batch/3/late.jsonl", (String.join("\n", records.subList(2 * third, records.size())) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void put(String key, byte[] content) {
        AwsClients.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String tableAtStart() {
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        return table;
    }

    private static Cli cli() {
        return new Cli().property("AWS_ENDPOINT_URL_S3", Emulators.s3rver().toString());
    }

    private Cli.Result replay(Cli cli, String table, String file, String... more) {
        List<String> args = new ArrayList<>(List.of("message-group-replay", "source=file", "file=" + file,
                "table=" + table, "rejects=" + dir.resolve("rejects.csv"), "chunk-size=10"));
        args.addAll(List.of(more));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void anObjectAndAPrefixGiveTheSameGroupRowsAsTheLocalFile() throws IOException {
        Path local = dir.resolve("records.jsonl.gz");
        Files.write(local, gzip(String.join("\n", records) + "\n"));
        String fromFile = tableAtStart();
        String fromObject = tableAtStart();
        String fromPrefix = tableAtStart();

        Cli.Result file = replay(cli(), fromFile, local.toString());
        Cli.Result object = replay(cli(), fromObject, "s3://" + BUCKET + "/records.jsonl.gz");
        Cli.Result prefix = replay(cli(), fromPrefix, "s3://" + BUCKET + "/batch/");

        for (Cli.Result result : List.of(file, object, prefix)) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.out()).as(result.toString()).contains("read " + records.size() + ", written");
        }
        assertThat(Conversations.groupRows(dynamoDb, fromFile)).isEqualTo(c.expectedGroupRows());
        assertThat(Conversations.groupRows(dynamoDb, fromObject)).isEqualTo(c.expectedGroupRows());
        assertThat(Conversations.groupRows(dynamoDb, fromPrefix)).isEqualTo(c.expectedGroupRows());
    }

    @Test
    void badLocationsAreOneLineAndExit2BeforeAnythingIsWritten() {
        String table = tableAtStart();
        String bucketless = "no-such-bucket-" + System.nanoTime();

        assertRefused(table, "s3://" + BUCKET + "/nope.jsonl", "file s3://" + BUCKET + "/nope.jsonl: no such object");
        assertRefused(table, "s3://" + BUCKET + "/batch", "file s3://" + BUCKET + "/batch: no such object; objects "
                + "exist under s3://" + BUCKET + "/batch/ (end the location with / to read them all)");
        assertRefused(table, "s3://" + BUCKET + "/empty/", "file s3://" + BUCKET + "/empty/: no objects under this "
                + "prefix");
        assertRefused(table, "s3://" + bucketless + "/r.jsonl", "file s3://" + bucketless + "/r.jsonl: bucket "
                + bucketless + " does not exist");
        assertRefused(table, "s3://" + bucketless + "/", "file s3://" + bucketless + "/: bucket " + bucketless
                + " does not exist");
        Cli.Result rejects = cli().run("message-group-replay", "source=file", "file=s3://" + BUCKET
                + "/records.jsonl.gz", "table=" + table, "rejects=s3://" + bucketless + "/rejects.csv");
        assertThat(rejects.exitCode()).as(rejects.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(rejects.err().lines()).as(rejects.toString()).singleElement().isEqualTo("error: rejects s3://"
                + bucketless + "/rejects.csv: bucket " + bucketless + " does not exist");
        // A good object before the bad one: still nothing is read or written.
        assertRefused(table, "s3://" + BUCKET + "/records.jsonl.gz,s3://" + BUCKET + "/nope.jsonl",
                "file s3://" + BUCKET + "/nope.jsonl: no such object");

        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(new java.util.TreeSet<>(
                c.groupRowsAt(0).stream().map(r -> Conversations.describe(r.toItem())).toList()));
    }

    private void assertRefused(String table, String file, String line) {
        Cli.Result result = replay(cli(), table, file);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().lines()).as(result.toString()).singleElement().isEqualTo("error: " + line);
    }

    @Test
    void aLineThatIsNotUtf8InAnObjectIsRejectedByObjectAndLine() throws IOException {
        String key = "latin1-" + System.nanoTime() + ".jsonl";
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write((records.get(0) + "\n").getBytes(StandardCharsets.UTF_8));
        content.write(records.get(1).replace("\"S\":\"", "\"S\":\"caf\u00e9 ").getBytes(StandardCharsets.ISO_8859_1));
        content.write(("\n" + String.join("\n", records.subList(2, records.size())) + "\n").getBytes(StandardCharsets.UTF_8));
        put(key, content.toByteArray());
        String table = tableAtStart();

        Cli.Result result = replay(cli(), table, "s3://" + BUCKET + "/" + key);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(Files.readAllLines(dir.resolve("rejects.csv"))).satisfiesExactly(
                header -> assertThat(header).isEqualTo(RejectsFile.HEADER),
                line -> assertThat(line).startsWith("\"s3://" + BUCKET + "/" + key + "\",2,\"not valid UTF-8"));
    }

    /** S3 failing mid-run (here: the answer to the second GetObject, through AwsProxy), then back. */
    @Test
    void s3FailingBetweenObjectsFailsTheRunNamingTheObjectAndTheRestartCompletesIt() {
        String table = tableAtStart();
        try (AwsProxy proxy = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "1");
            AtomicInteger gets = new AtomicInteger();
            proxy.fault((operation, body) -> operation.equals("GetObject") && gets.incrementAndGet() == 2
                    ? AwsProxy.Response.s3Error(503, "ServiceUnavailable", "refused by the test") : null);

            Cli.Result failed = replay(cli, table, "s3://" + BUCKET + "/batch/");

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            // Each object is a partition of its own, read at once: the second GetObject is any of them.
            assertThat(failed.out()).as(failed.toString())
                    .containsPattern("reason: s3://" + BUCKET + "/batch/[^ ]+: cannot be opened \\(");

            proxy.fault((operation, body) -> null);
            Cli.Result restarted = replay(cli, table, "s3://" + BUCKET + "/batch/");
            assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
            assertThat(restarted.err()).contains("restarting instance");
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        }
    }

    @Test
    void aRestartAfterTheObjectWasReplacedIsRefusedAndWithTheOriginalBackItCompletes() {
        String key = "restart-" + System.nanoTime() + ".jsonl";
        String location = "s3://" + BUCKET + "/" + key;
        String original = "{}\n[1]\n" + String.join("\n", records) + "\n";
        put(key, original.getBytes(StandardCharsets.UTF_8));
        String table = tableAtStart();
        Cli cli = cli(); // one job repository for the three runs

        Cli.Result failed = replay(cli, table, location, "skip-limit=1");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
        var afterFailure = Conversations.groupRows(dynamoDb, table);

        put(key, original.replaceFirst("\\{}", "[]").getBytes(StandardCharsets.UTF_8)); // same size
        Cli.Result refused = replay(cli, table, location, "skip-limit=1");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().lines()).as(refused.toString()).singleElement().asString()
                .startsWith("error: message-group-replay: refusing to restart: file=" + location
                        + " changed since the run that failed started (same size, different content)");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(afterFailure);

        put(key, original.getBytes(StandardCharsets.UTF_8));
        Cli.Result resumed = replay(cli, table, location, "skip-limit=5");
        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(resumed.err()).contains("restarting instance");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    /**
     * rejects=s3://...: uploaded when the step ends, also when it fails, with SSE-S3 requested (checked at the
     * protocol level through AwsProxy: s3rver ignores the header); the restart adds to the failed run's object.
     */
    @Test
    void rejectsGoToAnEncryptedObjectAlsoWhenTheRunFailsAndTheRestartAddsToIt() throws IOException {
        String key = "bad-" + System.nanoTime() + ".jsonl";
        put(key, ("{}\n[1]\n" + String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8));
        String rejectsKey = "rejects/" + key + ".csv";
        String table = tableAtStart();
        try (Stream<Path> before = Files.list(Path.of(System.getProperty("java.io.tmpdir")));
                AwsProxy proxy = new AwsProxy(Emulators.s3rver())) {
            List<Path> tempsBefore = before.filter(ReplayS3Test::rejectsTemp).toList();
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
            String[] args = { "message-group-replay", "source=file", "file=s3://" + BUCKET + "/" + key,
                    "table=" + table, "rejects=s3://" + BUCKET + "/" + rejectsKey, "chunk-size=10", "skip-limit=1" };

            Cli.Result failed = cli.run(args);

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(rejects(rejectsKey)).first().isEqualTo(RejectsFile.HEADER);
            assertThat(rejects(rejectsKey)).element(1).asString()
                    .startsWith("\"s3://" + BUCKET + "/" + key + "\",1,\"");

            args[args.length - 1] = "skip-limit=5";
            Cli.Result resumed = cli.run(args);

            assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(resumed.out()).contains("rejected 2 (see s3://" + BUCKET + "/" + rejectsKey + ")");
            List<String> all = rejects(rejectsKey);
            assertThat(all).first().isEqualTo(RejectsFile.HEADER);
            assertThat(all).filteredOn(line -> line.equals(RejectsFile.HEADER)).hasSize(1);
            assertThat(all).anySatisfy(l -> assertThat(l).startsWith("\"s3://" + BUCKET + "/" + key + "\",1,\""))
                    .anySatisfy(l -> assertThat(l).startsWith("\"s3://" + BUCKET + "/" + key + "\",2,\""));
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            // The file's partition uploads its part, the replay joins the parts into the object, at the end of
            // each run; all encrypted. The part is removed once the replay completed.
            assertThat(proxy.requests()).filteredOn(r -> r.operation().equals("PutObject")
                    && r.uri().endsWith(rejectsKey)).hasSize(2);
            assertThat(proxy.requests()).filteredOn(r -> r.operation().equals("PutObject")
                    && r.uri().contains(rejectsKey)).hasSize(4)
                    .allSatisfy(r -> assertThat(r.headers()).containsEntry("x-amz-server-side-encryption", "AES256"));
            assertThat(AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(rejectsKey + ".parts/")).contents())
                    .isEmpty();
            try (Stream<Path> after = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(after.filter(ReplayS3Test::rejectsTemp).toList()).as("temp files removed")
                        .containsExactlyInAnyOrderElementsOf(tempsBefore);
            }
        }
    }

    /** The rejects upload refused (AwsProxy answers their PutObject with S3's AccessDenied): kept locally, said. */
    @Test
    void rejectsThatCannotBeUploadedFailTheRunAndStayInTheOwnerOnlyTempFile() throws IOException {
        String key = "bad-" + System.nanoTime() + ".jsonl";
        put(key, ("{}\n" + String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8));
        String table = tableAtStart();
        try (AwsProxy proxy = new AwsProxy(Emulators.s3rver())) {
            proxy.fault((operation, body) -> operation.equals("PutObject")
                    ? AwsProxy.Response.s3Error(403, "AccessDenied", "Access Denied") : null);
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());

            Cli.Result result = cli.run("message-group-replay", "source=file", "file=s3://" + BUCKET + "/" + key,
                    "table=" + table, "rejects=s3://" + BUCKET + "/rejects/denied.csv");

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
            // The file's partition could not put its part (at its commit, again at its end): the reason names the
            // part and the temp file that keeps its records, rather than the join's count of what it found.
            java.util.regex.Matcher kept = java.util.regex.Pattern.compile("reason: cannot write s3://" + BUCKET
                    + "/rejects/denied.csv.parts/\\d+/file-00000.csv: access denied \\(.*\\); the rejected records are "
                    + "kept in (\\S+)")
                    .matcher(result.out());
            assertThat(kept.find()).as(result.toString()).isTrue();
            Path file = Path.of(kept.group(1));
            try {
                // Also on the partition's own line, as every partition that fails so keeps its records apart.
                assertThat(result.out()).containsPattern("replay-file:file-00000: cannot write s3://" + BUCKET
                        + "/rejects/denied.csv.parts/\\d+/file-00000.csv: access denied \\(")
                        .contains("; the rejected records are kept in " + file + "\n");
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .isEqualTo("rw-------");
                assertThat(Files.readAllLines(file)).hasSize(2).element(1).asString()
                        .startsWith("\"s3://" + BUCKET + "/" + key + "\",1,\"");
            }
            finally {
                Files.deleteIfExists(file);
            }
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        }
    }

    private static boolean rejectsTemp(Path path) {
        return path.getFileName().toString().startsWith("message-group-replay-rejects-");
    }

    private static List<String> rejects(String key) {
        return AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8)
                .lines().toList();
    }
}
