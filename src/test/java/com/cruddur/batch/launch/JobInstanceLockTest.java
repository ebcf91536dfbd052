package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * The job-instance lock in the job repository: two launches of the same parameters never both run,
 * and recover/abandon/restart never act on an execution whose process is alive.
 */
class JobInstanceLockTest {

    private static final String REFUSED = "error: " + TestJobs.SLOW_COUNT + ": not started: ";

    /**
     * Two launches of one instance, started together through the launcher's entry point on two threads
     * (each with its own Spring context and connection pool, as two processes would have), 20 times.
     */
    @Test
    void twoLaunchesOfOneInstanceStartedTogetherRunOnce() throws Exception {
        Cli cli = new Cli();
        for (int round = 0; round < 20; round++) {
            String label = "race-" + round;
            // The run that gets in waits while this file exists, so it surely overlaps the other launch;
            // the other must come back on its own (refused) before the file goes.
            Path hold = Files.createTempFile("hold-while", ".marker");
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<Cli.Result>> launches = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                launches.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    }
                    catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return cli.run(TestJobs.SLOW_COUNT, "items=2", "millis=1", "label=" + label, "hold-while=" + hold);
                }));
            }
            Cli.Result refused;
            try {
                refused = (Cli.Result) CompletableFuture.anyOf(launches.toArray(CompletableFuture[]::new))
                        .get(120, TimeUnit.SECONDS);
            }
            finally {
                Files.deleteIfExists(hold);
            }
            List<Cli.Result> results = launches.stream().map(CompletableFuture::join).toList();
            String both = results.get(0) + "\n" + results.get(1);
            assertThat(results).as(both).extracting(Cli.Result::exitCode)
                    .containsExactlyInAnyOrder(ExitCodes.COMPLETED, ExitCodes.NOT_STARTED);
            assertThat(refused.exitCode()).as(both).isEqualTo(ExitCodes.NOT_STARTED);
            assertThat(refused.out()).as(both).isEmpty();
            assertThat(refused.err().strip()).as(both).startsWith(REFUSED).doesNotContain("\n")
                    .doesNotContain("unknown process").doesNotContain("recover")
                    .contains("in a live process");
        }
        // One instance and one execution per round: the loser created nothing.
        assertThat(RestartTest.query(cli, "select count(distinct job_instance_id) || ' ' || count(*) "
                + "from batch_job_execution")).containsExactly("20 20");
        assertThat(RestartTest.query(cli, "select distinct status from batch_job_execution")).containsExactly("COMPLETED");
    }

    /** The same race with two real processes (child JVMs), as two cron entries or containers would start it. */
    @Test
    void twoProcessesStartedTogetherRunOnce() throws Exception {
        Cli cli = new Cli();
        ChildLauncher first = ChildLauncher.start(cli, TestJobs.SLOW_COUNT, "items=10", "millis=500", "label=procs");
        ChildLauncher second = ChildLauncher.start(cli, TestJobs.SLOW_COUNT, "items=10", "millis=500", "label=procs");
        try {
            assertThat(first.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            first.process.destroyForcibly();
            second.process.destroyForcibly();
        }
        String both = first.output() + "\n" + second.output();
        assertThat(List.of(first.process.exitValue(), second.process.exitValue())).as(both)
                .containsExactlyInAnyOrder(ExitCodes.COMPLETED, ExitCodes.NOT_STARTED);
        assertThat(both).contains(REFUSED).doesNotContain("unknown process");
        assertThat(RestartTest.query(cli, "select count(*) from batch_job_execution")).containsExactly("1");
    }

    /**
     * While a run is alive in another process: a second launch, recover, abandon and restart are each
     * refused with one line that says the process is alive (exit 4), and the run is not disturbed.
     */
    @Test
    void nothingActsOnAnExecutionWhoseProcessIsAlive() throws Exception {
        Cli cli = new Cli();
        ChildLauncher child = ChildLauncher.start(cli, List.of(), TestJobs.SLOW_COUNT, "items=200", "millis=100",
                "label=alive");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!child.output().contains("number 2")) {
                assertThat(System.nanoTime()).as("child never started:\n" + child.output()).isLessThan(deadline);
                assertThat(child.process.isAlive()).as(child.output()).isTrue();
                Thread.sleep(100);
            }
            String process = "(pid " + child.process.pid() + " on ";

            Cli.Result second = cli.run(TestJobs.SLOW_COUNT, "items=200", "millis=100", "label=alive");
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.NOT_STARTED);
            assertThat(second.err().strip()).startsWith(REFUSED + "execution 1 of these parameters is STARTED in a "
                    + "live process " + process).endsWith("which holds the job-instance lock in the job repository; "
                    + "wait for it to end, or stop it: stop 1");

            Cli.Result recover = cli.run("recover", "1");
            assertThat(recover.exitCode()).as(recover.toString()).isEqualTo(ExitCodes.NOT_STARTED);
            assertThat(recover.err().strip()).startsWith("error: recover: execution 1 of test-slow-count is STARTED and "
                    + "its process is alive " + process).endsWith("recover is only for executions whose process is "
                    + "gone; to end it: stop 1");

            Cli.Result abandon = cli.run("abandon", "1");
            assertThat(abandon.exitCode()).as(abandon.toString()).isEqualTo(ExitCodes.NOT_STARTED);
            assertThat(abandon.err().strip()).startsWith("error: abandon: execution 1 of these parameters is STARTED "
                    + "in a live process " + process);

            Cli.Result restart = cli.run("restart", "1");
            assertThat(restart.exitCode()).as(restart.toString()).isEqualTo(ExitCodes.NOT_STARTED);
            assertThat(restart.err().strip()).startsWith("error: test-slow-count: not restarted: execution 1 of these "
                    + "parameters is STARTED in a live process " + process);

            assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("STARTED");
            Cli.Result stop = cli.run("stop", "1");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            child.process.destroyForcibly();
        }
        assertThat(child.process.exitValue()).as(child.output()).isEqualTo(ExitCodes.STOPPED);
        assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("STOPPED");
    }

    /**
     * An execution that ended UNKNOWN (its process lost its status update): the launch says to abandon
     * it, abandon really marks it ABANDONED, and the same parameters then run anew.
     */
    @Test
    void anUnknownExecutionIsAbandonedForRealAndTheParametersRunAgain() throws Exception {
        Cli cli = new Cli();
        assertThat(cli.run(TestJobs.SLOW_COUNT, "items=2", "millis=1", "label=unknown").exitCode()).isZero();
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "")) {
            c.createStatement().executeUpdate("update batch_job_execution set status = 'UNKNOWN', exit_code = 'UNKNOWN'");
        }

        Cli.Result refused = cli.run(TestJobs.SLOW_COUNT, "items=2", "millis=1", "label=unknown");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.NOT_STARTED);
        assertThat(refused.err().strip()).isEqualTo(REFUSED + "execution 1 of these parameters ended UNKNOWN (its "
                + "outcome was not recorded, so it cannot be restarted); check what it wrote, then run: abandon 1 "
                + "(the next launch starts a new run)");

        Cli.Result abandoned = cli.run("abandon", "1");
        assertThat(abandoned.exitCode()).as(abandoned.toString()).isZero();
        assertThat(abandoned.out()).contains("execution 1 of test-slow-count is ABANDONED");
        assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("ABANDONED");

        Cli.Result again = cli.run(TestJobs.SLOW_COUNT, "items=2", "millis=1", "label=unknown");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(RestartTest.query(cli, "select status from batch_job_execution order by job_execution_id"))
                .containsExactly("ABANDONED", "COMPLETED");
    }
}
