package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Seed files given as {@code s3://bucket/key}, read from a real S3-compatible server (s3rver, started once
 * for the class): the same items as from the local file, a missing object or bucket refused before anything
 * is written, and a restart refused when the object was replaced since the failed run started.
 */
class S3SeedTest {

    private static final int MESSAGES = 1_000;
    private static final String BUCKET = "seed-" + System.nanoTime();
    private static Path dir;

    @BeforeAll
    static void upload() throws Exception {
        dir = Files.createTempDirectory("s3-seed");
        ConversationCsvGenerator.write(dir, MESSAGES, 10);
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        put("users.csv", Files.readString(dir.resolve("users.csv")));
        put("conversations.csv", Files.readString(dir.resolve("conversations.csv")));
    }

    private static void put(String key, String content) {
        AwsClients.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    private static Cli cli() {
        return new Cli().property("AWS_ENDPOINT_URL_S3", Emulators.s3rver().toString());
    }

    @Test
    void conversationSeedFromAnS3ObjectEndsWithTheSameItemsAsFromTheLocalFile() throws Exception {
        Cli cli = cli();
        String fromS3 = "s3-seed-" + System.nanoTime();
        String fromFile = "file-seed-" + System.nanoTime();
        ok(cli.run("user-seed", "users=s3://" + BUCKET + "/users.csv"));
        ok(cli.run("schema-load", "table=" + fromS3));
        ok(cli.run("schema-load", "table=" + fromFile));

        ok(cli.run("conversation-seed", "table=" + fromS3, "conversations=s3://" + BUCKET + "/conversations.csv",
                "base-time=2026-03-09T00:00:00Z"));
        ok(cli.run("conversation-seed", "table=" + fromFile, "conversations=" + dir.resolve("conversations.csv"),
                "base-time=2026-03-09T00:00:00Z"));

        assertThat(snapshot(fromS3)).hasSize(MESSAGES + 2 * 10).isEqualTo(snapshot(fromFile));
    }

    @Test
    void aMissingObjectOrBucketIsOneLineExit2AndNothingIsWritten() throws Exception {
        Cli cli = cli();
        String table = "s3-missing-" + System.nanoTime();
        ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
        ok(cli.run("schema-load", "table=" + table));

        String missing = "s3://" + BUCKET + "/nope/conversations.csv";
        Cli.Result noObject = cli.run("conversation-seed", "table=" + table, "conversations=" + missing);
        assertThat(noObject.exitCode()).as(noObject.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noObject.err().lines()).as(noObject.toString()).hasSize(1).first().asString()
                .contains("conversations " + missing + ": no such object");

        String noBucketAt = "s3://no-such-bucket-" + System.nanoTime() + "/conversations.csv";
        Cli.Result noBucket = cli.run("conversation-seed", "table=" + table, "conversations=" + noBucketAt);
        assertThat(noBucket.exitCode()).as(noBucket.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBucket.err().lines()).as(noBucket.toString()).hasSize(1).first().asString()
                .contains("conversations " + noBucketAt + ": bucket no-such-bucket-").contains(" does not exist");

        Cli.Result users = cli.run("user-seed", "users=" + missing);
        assertThat(users.exitCode()).as(users.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(users.err().lines()).as(users.toString()).hasSize(1).first().asString()
                .contains("users " + missing + ": no such object");

        assertThat(snapshot(table)).isEmpty();
    }

    /**
     * s3rver enforces no policies, but it refuses a key it does not know with 403, as S3 refuses a role
     * without s3:GetObject; the key is given as the SDK's system properties, the first source of its chain.
     */
    @Test
    void anObjectThatMayNotBeReadIsOneLineExit2() throws Exception {
        Cli cli = cli();
        String location = "s3://" + BUCKET + "/conversations.csv";
        System.setProperty("aws.accessKeyId", "NOT-S3RVER");
        System.setProperty("aws.secretAccessKey", "NOT-S3RVER");
        Cli.Result denied;
        try {
            denied = cli.run("conversation-seed", "table=never-created", "conversations=" + location);
        }
        finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(denied.err().lines()).as(denied.toString()).hasSize(1).first().asString()
                .contains("conversations " + location + ": access denied (needs s3:GetObject");
    }

    @Test
    void aRestartAfterTheObjectWasReplacedIsRefusedAndWithTheOriginalBackEndsIdenticalToAStraightRun()
            throws Exception {
        String key = "restart-" + System.nanoTime() + ".csv";
        String location = "s3://" + BUCKET + "/" + key;
        String original = Files.readString(dir.resolve("conversations.csv"));
        put(key, original);
        String failedTable = "s3-changed-" + System.nanoTime();
        String straight = "s3-straight-" + System.nanoTime();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            Cli cli = cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
            ok(cli.run("schema-load", "table=" + failedTable));
            ok(cli.run("schema-load", "table=" + straight));
            String[] seed = { "conversation-seed", "table=" + failedTable, "conversations=" + location,
                    "base-time=2026-03-09T00:00:00Z", "concurrency=1", "chunk-size=100" };
            AtomicInteger batches = new AtomicInteger();
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && batches.incrementAndGet() > 12
                    ? AwsProxy.Response.error(400, "ValidationException", "refused by the test") : null);
            Cli.Result failed = cli.run(seed);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            proxy.fault((operation, body) -> null);
            List<String> afterFailure = snapshot(failedTable);
            assertThat(afterFailure).isNotEmpty();

            // The same size, other content: only the ETag tells them apart.
            put(key, original.replace("ridge", "RIDGE"));
            long batchesBefore = proxy.operations().stream().filter("BatchWriteItem"::equals).count();

            Cli.Result refused = cli.run(seed);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err().lines()).as(refused.toString()).hasSize(1).first().asString()
                    .startsWith("error: conversation-seed: refusing to restart: conversations=" + location
                            + " changed since the run that failed started (same size, different content)");
            assertThat(proxy.operations().stream().filter("BatchWriteItem"::equals).count()).isEqualTo(batchesBefore);
            assertThat(snapshot(failedTable)).isEqualTo(afterFailure);

            put(key, original);
            Cli.Result resumed = ok(cli.run(seed));
            assertThat(resumed.err()).contains("restarting instance");
            ok(cli.run("conversation-seed", "table=" + straight, "conversations=" + location,
                    "base-time=2026-03-09T00:00:00Z"));
            assertThat(snapshot(failedTable)).hasSize(MESSAGES + 2 * 10).isEqualTo(snapshot(straight));
        }
    }

    /**
     * rejects-dir=s3://bucket/prefix/: the rejects file is uploaded when the step ends, with SSE-S3 requested
     * (checked through AwsProxy: s3rver ignores the header), and its temp file removed.
     */
    @Test
    void rejectsGoToTheS3PrefixEncrypted() throws Exception {
        String key = "bad-users-" + System.nanoTime() + ".csv";
        put(key, "handle,display_name,email\nana,Ana,ana@example.test\nbo,\"Bo,bo@example.test\ncy,Cy,cy@example.test\n");
        String prefix = "rejects-" + System.nanoTime() + "/";
        try (AwsProxy proxy = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());

            Cli.Result run = cli.run("user-seed", "users=s3://" + BUCKET + "/" + key,
                    "rejects-dir=s3://" + BUCKET + "/" + prefix);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            var listed = AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents();
            assertThat(listed).singleElement().satisfies(o -> assertThat(o.key()).matches(
                    java.util.regex.Pattern.quote(prefix) + "user-seed-\\d+-seed-users\\.csv"));
            String object = listed.get(0).key();
            assertThat(run.out()).contains("1 rejected row(s) of s3://" + BUCKET + "/" + key + " written to s3://"
                    + BUCKET + "/" + object);
            assertThat(AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(object)).asUtf8String().lines())
                    .hasSize(2).last().asString().startsWith("\"s3://" + BUCKET + "/" + key + "\",3,\"unbalanced quotes");
            assertThat(proxy.requests()).filteredOn(r -> r.operation().equals("PutObject")).singleElement()
                    .satisfies(r -> assertThat(r.headers()).containsEntry("x-amz-server-side-encryption", "AES256"));
            try (var temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                assertThat(temps.filter(p -> p.getFileName().toString().startsWith("seed-rejects-"))
                        .filter(p -> p.toFile().lastModified() > System.currentTimeMillis() - 600_000).toList())
                        .as("temp file removed").isEmpty();
            }
            assertThat(Files.exists(Path.of("s3:"))).as("no local folder named after the location").isFalse();
        }
    }
}
