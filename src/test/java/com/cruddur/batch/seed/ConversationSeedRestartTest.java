package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.decode;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of a large seed: the launcher runs as a child JVM (as {@code java -jar}
 * would) and gets SIGKILL once a few chunks are committed ({@link AwsProxy} in front of dynalite only
 * forwards here, and counts the child's BatchWriteItem calls to know when). Launching again with the same parameters
 * recovers the execution, resumes after the last committed chunk, and reuses the base time the first
 * start fixed, so the table ends identical to an uninterrupted run.
 */
class ConversationSeedRestartTest {

    private static final int MESSAGES = 6_000;

    @Test
    void aKilledSeedResumesAfterItsLastCommitAndEndsIdenticalToAnUninterruptedRun() throws Exception {
        Path dir = Files.createTempDirectory("seed-restart");
        ConversationCsvGenerator.write(dir, MESSAGES, 30);
        String csv = dir.resolve("conversations.csv").toString();
        String killed = "seed-killed-" + System.nanoTime();
        String straight = "seed-straight-" + System.nanoTime();
        AwsProxy proxy = new AwsProxy(Emulators.dynalite());
        Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
        ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
        ok(cli.run("schema-load", "table=" + killed));
        ok(cli.run("schema-load", "table=" + straight));

        // No base-time: the child fixes one at its first start (from its clock: 2026-03-09T00:00:00Z); the
        // restart runs on a later clock and must still use that one.
        cli.property("cruddur.seed.now", "2026-03-10T12:00:00Z");
        ChildLauncher launched = ChildLauncher.start(cli, "conversation-seed", "table=" + killed,
                "conversations=" + csv, "concurrency=2", "chunk-size=100");
        Process child = launched.process;
        Path log = launched.output;
        long committedReads;
        try {
            // Watch the child's progress through the proxy, not the H2 file it holds open.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (proxy.operations().stream().filter("BatchWriteItem"::equals).count() < 30) {
                assertThat(child.isAlive()).as("child ended before it was killed: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("child never wrote 30 batches").isLessThan(deadline);
                Thread.sleep(5);
            }
            child.destroyForcibly().waitFor(); // SIGKILL
        }
        finally {
            child.destroyForcibly();
        }
        committedReads = Long.parseLong(query(cli, "select read_count from batch_step_execution "
                + "where step_name = 'seed-messages'").get(0));
        assertThat(committedReads).isGreaterThanOrEqualTo(300).isLessThan(MESSAGES);
        assertThat(query(cli, "select status from batch_job_execution where job_execution_id = "
                + "(select max(job_execution_id) from batch_job_execution)")).containsExactly("STARTED");

        cli.property("cruddur.seed.now", "2026-04-20T12:00:00Z");
        Cli.Result resumed = ok(cli.run("conversation-seed", "table=" + killed, "conversations=" + csv,
                "concurrency=2", "chunk-size=100"));

        assertThat(resumed.err()).contains("which is gone; recovered it", "restarting instance");
        // The messages are written behind (a chunk's requests run while the next chunk is read), so each
        // commit saves the position of the commit before it: the restart reads exactly one chunk (100
        // rows) again, and writes it again, unchanged.
        assertThat(query(cli, "select read_count from batch_step_execution where step_name = 'seed-messages' "
                + "order by step_execution_id")).containsExactly(String.valueOf(committedReads),
                        String.valueOf(MESSAGES - committedReads + 100));
        assertThat(resumed.out()).contains("counted from base-time 2026-03-09T00:00:00Z");
        // The uninterrupted run gets, as a parameter, the base time the killed run fixed in its context.
        ok(cli.run("conversation-seed", "table=" + straight, "conversations=" + csv,
                "base-time=2026-03-09T00:00:00Z"));

        List<String> killedItems = snapshot(killed);
        assertThat(killedItems).hasSize(MESSAGES + 2 * 30);
        assertThat(killedItems).isEqualTo(snapshot(straight));
        proxy.close();
    }

    @Test
    void aRequestRefusedMidSeedFailsTheRunWithNoUnwrittenRowCommittedAndARelaunchCompletesIt() throws Exception {
        Path dir = Files.createTempDirectory("seed-refused");
        ConversationCsvGenerator.write(dir, MESSAGES, 30);
        String csv = dir.resolve("conversations.csv").toString();
        String refused = "seed-refused-" + System.nanoTime();
        String straight = "seed-straight-" + System.nanoTime();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
            ok(cli.run("schema-load", "table=" + refused));
            ok(cli.run("schema-load", "table=" + straight));
            String[] seed = { "conversation-seed", "table=" + refused, "conversations=" + csv,
                    "base-time=2026-03-09T00:00:00Z", "concurrency=1", "chunk-size=100" };

            // From the 21st BatchWriteItem on (5 chunks of 4 requests; one in flight at a time, so they
            // arrive in order), the service refuses every one, with an error the SDK does not retry. The
            // messages are written behind: chunk 6 is refused after it was handed to the writer, and it
            // is chunk 7 that fails.
            AtomicInteger batches = new AtomicInteger();
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && batches.incrementAndGet() > 20
                    ? AwsProxy.Response.error(400, "ValidationException", "refused by the test") : null);
            Cli.Result failed = cli.run(seed);

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).contains("conversation-seed FAILED", "refused by the test");
            Map<?, ?> context = decode(query(cli, "select c.short_context from batch_step_execution_context c "
                    + "join batch_step_execution s on s.step_execution_id = c.step_execution_id "
                    + "where s.step_name = 'seed-messages'").get(0));
            long savedPosition = ((Number) context.get("conversations-csv.read.count")).longValue();
            long written = snapshot(refused).size();
            // Every row up to the saved restart position is in the table: no commit covered a row whose
            // request had not succeeded (with the position saved at each commit instead, it would be 600).
            assertThat(savedPosition).isEqualTo(500);
            assertThat(written).isGreaterThanOrEqualTo(savedPosition);

            proxy.fault((operation, body) -> null);
            Cli.Result resumed = ok(cli.run(seed));
            assertThat(resumed.err()).contains("restarting instance");
            ok(cli.run("conversation-seed", "table=" + straight, "conversations=" + csv,
                    "base-time=2026-03-09T00:00:00Z"));
            assertThat(snapshot(refused)).hasSize(MESSAGES + 2 * 30).isEqualTo(snapshot(straight));
        }
    }
}
