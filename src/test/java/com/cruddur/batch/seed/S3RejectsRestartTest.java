package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.completedWithRejects;
import static com.cruddur.batch.seed.SeedTestSupport.decode;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.KillAtPut;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code rejects-dir=s3://...} and {@code kill -9}: the launcher runs as a child JVM (as {@code java -jar}
 * would) writing its rejects to the real s3rver through {@link AwsProxy}, which forwards and counts the
 * child's PutObject requests. At the fifth put of the rejects it kills the child (SIGKILL) and then puts
 * that body into s3rver ({@link KillAtPut}): S3 holds the rows of a chunk whose commit never happened,
 * the worst moment for a kill. The restart must end with the object holding every rejected row exactly once,
 * byte for byte what a run that was not interrupted writes; without the object it must refuse.
 */
class S3RejectsRestartTest {

    private static final int MESSAGES = 3_000;
    private static final String BUCKET = "seed-rejects-" + System.nanoTime();

    @Test
    void aSeedKilledRightAfterPuttingItsRejectsRestartsToAnObjectWithEveryRejectedRowOnce() throws Exception {
        Path dir = Files.createTempDirectory("s3-rejects-restart");
        ConversationCsvGenerator.write(dir, MESSAGES, 30);
        int bad = spoil(dir.resolve("conversations.csv"));
        String csv = dir.resolve("conversations.csv").toString();
        String killedTable = "rejects-killed-" + System.nanoTime();
        String straightTable = "rejects-straight-" + System.nanoTime();
        String killedPrefix = "killed-" + System.nanoTime() + "/";
        String straightPrefix = "straight-" + System.nanoTime() + "/";
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
            ok(cli.run("schema-load", "table=" + killedTable));
            ok(cli.run("schema-load", "table=" + straightTable));
            String[] seed = { "conversation-seed", "table=" + killedTable, "conversations=" + csv,
                    "base-time=2026-03-09T00:00:00Z", "concurrency=1", "chunk-size=100", "skip-limit=1000",
                    "rejects-dir=s3://" + BUCKET + "/" + killedPrefix };

            KillAtPut kill = new KillAtPut(s3, 5);
            s3.fault(kill);
            ChildLauncher launched = ChildLauncher.start(cli, seed);
            kill.child(launched.process);
            try {
                assertThat(kill.await(120)).as("child killed at put 5: %s", launched.output()).isTrue();
            }
            finally {
                launched.process.destroyForcibly();
            }
            String childLog = launched.output();
            assertThat(kill.puts()).as(childLog).isEqualTo(5);
            KillAtPut.removeTempFiles("seed-rejects-", csv);
            s3.fault((operation, body) -> null);

            // What the kill left: an object with rows the job repository does not count as committed.
            String object = singleObject(killedPrefix);
            Map<?, ?> context = decode(query(cli, "select c.short_context from batch_step_execution_context c "
                    + "join batch_step_execution s on s.step_execution_id = c.step_execution_id "
                    + "where s.step_name = 'seed-messages'").get(0));
            // A long is stored with its type: ["java.lang.Long", n].
            long committedRows = ((Number) ((List<?>) context.get("rejects.s3.rows")).get(1)).longValue();
            assertThat(rows(object)).as("rows put by the killed run").hasSizeGreaterThan((int) committedRows);
            assertThat(committedRows).isPositive();

            // Nothing is lost silently: without the object the restart refuses, and writes nothing over it.
            byte[] killedObject = AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(object)).asByteArray();
            AwsClients.s3().deleteObject(b -> b.bucket(BUCKET).key(object));
            Cli.Result refused = cli.run(seed);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(refused.out() + refused.err()).contains("cannot read the rejects of the earlier run from s3://"
                    + BUCKET + "/" + object, "put the object back to restart").doesNotContain("rejected row(s)");
            assertThat(AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(killedPrefix)).contents()).isEmpty();
            AwsClients.s3().putObject(b -> b.bucket(BUCKET).key(object),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(killedObject));

            Cli.Result resumed = completedWithRejects(cli.run(seed));
            assertThat(resumed.err()).contains("restarting instance");
            assertThat(resumed.out()).contains(bad + " rejected row(s) of " + csv + " written to s3://" + BUCKET + "/"
                    + object + " (" + committedRows + " of them before the restart)");
            // The same chunks: read rejects of a chunk come before its processed ones, so the order depends on them.
            Cli.Result straight = completedWithRejects(cli.run("conversation-seed", "table=" + straightTable,
                    "conversations=" + csv, "base-time=2026-03-09T00:00:00Z", "concurrency=1", "chunk-size=100",
                    "skip-limit=1000", "rejects-dir=s3://" + BUCKET + "/" + straightPrefix));

            assertThat(singleObject(killedPrefix)).as("the restart wrote on to the object of the first start")
                    .isEqualTo(object);
            List<String> restarted = rows(object);
            assertThat(restarted).hasSize(bad).doesNotHaveDuplicates();
            assertThat(restarted).isEqualTo(rows(singleObject(straightPrefix)));
            assertThat(content(object)).startsWith(com.cruddur.batch.rejects.RejectsFile.HEADER + "\n");
            assertThat(snapshot(killedTable)).isEqualTo(snapshot(straightTable));
            for (String log : List.of(childLog, resumed.out(), resumed.err(), straight.out(), straight.err())) {
                assertThat(log).as("record contents in a log").doesNotContain("private note");
            }
        }
    }

    /**
     * Replaces one data line in 37 with a rejected one, alternately a line with a column too many (rejected
     * when read) and one from an unknown sender (rejected when processed); each holds "private note".
     *
     * @return how many lines were replaced
     */
    private static int spoil(Path csv) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(csv, StandardCharsets.UTF_8));
        int bad = 0;
        for (int i = 5; i < lines.size(); i += 37) {
            lines.set(i, bad % 2 == 0 ? ",load00000,load00001,+1s,private note " + i + ",extra"
                    : ",nobody" + i + ",load00001,+1s,private note " + i);
            bad++;
        }
        Files.write(csv, lines, StandardCharsets.UTF_8);
        return bad;
    }

    private static String singleObject(String prefix) {
        List<S3Object> listed = AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents();
        assertThat(listed).hasSize(1);
        return listed.get(0).key();
    }

    private static String content(String key) {
        return AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    /** The rows of a rejects object, its header left out. */
    private static List<String> rows(String key) {
        return content(key).lines().skip(1).toList();
    }
}
