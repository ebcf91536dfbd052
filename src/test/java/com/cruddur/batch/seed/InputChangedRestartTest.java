package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;

/**
 * A failed seed resumes at a saved line count, which only means something in the file it counted: a
 * relaunch after the file was edited (three rows added at the top) is refused before anything is written,
 * one line, exit 2; with the file as it was, the relaunch resumes and ends identical to a straight run.
 * The run is failed by {@link AwsProxy} refusing BatchWriteItem calls, as in ConversationSeedRestartTest.
 */
class InputChangedRestartTest {

    private static final int MESSAGES = 1_000;

    @Test
    void aRestartOnAnEditedCsvIsRefusedAndOnTheSameCsvEndsIdenticalToAStraightRun() throws Exception {
        Path dir = Files.createTempDirectory("seed-changed");
        ConversationCsvGenerator.write(dir, MESSAGES, 10);
        Path csv = dir.resolve("conversations.csv");
        String original = Files.readString(csv);
        String failedTable = "seed-changed-" + System.nanoTime();
        String straight = "seed-straight-" + System.nanoTime();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            ok(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
            ok(cli.run("schema-load", "table=" + failedTable));
            ok(cli.run("schema-load", "table=" + straight));
            String[] seed = { "conversation-seed", "table=" + failedTable, "conversations=" + csv,
                    "base-time=2026-03-09T00:00:00Z", "concurrency=1", "chunk-size=100" };
            AtomicInteger batches = new AtomicInteger();
            proxy.fault((operation, body) -> operation.equals("BatchWriteItem") && batches.incrementAndGet() > 12
                    ? AwsProxy.Response.error(400, "ValidationException", "refused by the test") : null);
            Cli.Result failed = cli.run(seed);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            proxy.fault((operation, body) -> null);
            List<String> afterFailure = snapshot(failedTable);
            assertThat(afterFailure).isNotEmpty();

            // Three rows at the top: resuming at the saved count would skip three rows of the file.
            String[] lines = original.split("\n", 2);
            Files.writeString(csv, lines[0] + "\n" + String.join("", List.of(lines[1].split("\n", 4)).subList(0, 3)
                    .stream().map(l -> l.replace("+", "-") + "\n").toList()) + lines[1]);
            long batchesBefore = proxy.operations().stream().filter("BatchWriteItem"::equals).count();

            Cli.Result refused = cli.run(seed);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err().lines()).as(refused.toString()).hasSize(1).first().asString()
                    .startsWith("error: conversation-seed: refusing to restart: conversations=" + csv + " changed since "
                            + "the run that failed started (")
                    .contains("put the original back to restart, or run 'abandon ");
            assertThat(proxy.operations().stream().filter("BatchWriteItem"::equals).count()).isEqualTo(batchesBefore);
            assertThat(snapshot(failedTable)).isEqualTo(afterFailure);
            String failedId = query(cli, "select e.job_execution_id from batch_job_execution e join batch_job_instance i "
                    + "on i.job_instance_id = e.job_instance_id where i.job_name = 'conversation-seed'").get(0);
            // The restart command checks the same way.
            Cli.Result restartCommand = cli.run("restart", failedId);
            assertThat(restartCommand.exitCode()).as(restartCommand.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(restartCommand.err()).contains("refusing to restart: conversations=" + csv,
                    "run 'abandon " + failedId + "'");
            assertThat(query(cli, "select status from batch_job_execution e join batch_job_instance i "
                    + "on i.job_instance_id = e.job_instance_id where i.job_name = 'conversation-seed'"))
                    .containsExactly("FAILED");

            Files.writeString(csv, original);
            Cli.Result resumed = ok(cli.run(seed));
            assertThat(resumed.err()).contains("restarting instance");
            ok(cli.run("conversation-seed", "table=" + straight, "conversations=" + csv,
                    "base-time=2026-03-09T00:00:00Z"));
            assertThat(snapshot(failedTable)).hasSize(MESSAGES + 2 * 10).isEqualTo(snapshot(straight));
        }
    }
}
