package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (what ECS and Kubernetes send) during a run, in a child JVM: the job ends STOPPED at its next
 * commit, the process exits 3, a restart resumes from there to COMPLETED, and {@code executions}
 * shows both. Then {@code stop}/{@code abandon}/{@code restart} refusals read as one line.
 */
class GracefulStopTest {

    @Test
    void sigtermStopsTheRunAndARestartCompletesIt() throws Exception {
        Cli cli = new Cli();
        ChildLauncher child = ChildLauncher.start(cli, List.of(), TestJobs.SLOW_COUNT, "items=30", "millis=150");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // Watch the child's output, not the database: opening the H2 file while the child starts races it.
            while (!child.output().contains("number 4")) {
                assertThat(System.nanoTime()).as("child never committed 3 items:\n" + child.output()).isLessThan(deadline);
                assertThat(child.process.isAlive()).as(child.output()).isTrue();
                Thread.sleep(100);
            }
            child.process.destroy(); // SIGTERM
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("child did not exit").isTrue();
        }
        finally {
            child.process.destroyForcibly();
        }
        String output = child.output();
        assertThat(child.process.exitValue()).as(output).isEqualTo(ExitCodes.STOPPED);
        assertThat(output).contains("received SIGTERM: stopping 1 running job(s)",
                "test-slow-count STOPPED");
        assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("STOPPED");
        long doneBeforeStop = committedItems(cli);
        assertThat(doneBeforeStop).isBetween(3L, 29L);

        Cli.Result restarted = cli.run("restart", "1");

        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(restarted.err()).contains("restarting execution 1 (STOPPED)");
        assertThat(restarted.out()).contains("test-slow-count COMPLETED");
        assertThat(restarted.lines()).doesNotContain("number 1").contains("number " + (doneBeforeStop + 1), "number 30");
        // Each number was written once over the two executions: the restart resumed after the last commit.
        assertThat(RestartTest.query(cli, "select sum(write_count) from batch_step_execution")).containsExactly("30");
        assertThat(RestartTest.query(cli, "select count(distinct job_instance_id) from batch_job_execution"))
                .containsExactly("1");

        Cli.Result history = cli.run("executions");
        assertThat(history.exitCode()).isZero();
        assertThat(history.lines()).hasSize(3);
        assertThat(history.lines().get(1)).matches("\\s+2  test-slow-count\\s+COMPLETED .*items=30 .*\\| COMPLETED");
        assertThat(history.lines().get(2)).matches("\\s+1  test-slow-count\\s+STOPPED .*items=30 .*\\| STOPPED.*");

        // Acting on finished executions is refused with one line each.
        assertThat(cli.run("restart", "2").err().strip()).isEqualTo("error: restart: execution 2 of test-slow-count "
                + "is COMPLETED; only FAILED or STOPPED executions restart (launch the job again for a new run)");
        // Execution 2 ran in this JVM; execution 1 in the child, whose PID is gone: both are simply not running.
        assertThat(cli.run("stop", "2").err().strip())
                .isEqualTo("error: stop: execution 2 of test-slow-count is COMPLETED, not running");
        assertThat(cli.run("stop", "1").err().strip())
                .isEqualTo("error: stop: execution 1 of test-slow-count is STOPPED, not running");
        assertThat(cli.run("restart", "1").err().strip()).startsWith("error: restart: execution 1 is not the last");
        Cli.Result unknown = cli.run("stop", "99");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err().strip()).isEqualTo("error: no job execution 99; 'executions' lists them");
    }

    /** Most real jobs have a @JobScope step: stopping one on SIGTERM must not log an error. */
    @Test
    void sigtermStopsAJobScopedStepWithoutAnError() throws Exception {
        Cli cli = new Cli();
        ChildLauncher child = ChildLauncher.start(cli, List.of(), TestJobs.SLOW_COUNT_SCOPED, "items=200", "millis=100");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!child.output().contains("number 3")) {
                assertThat(System.nanoTime()).as("child never started:\n" + child.output()).isLessThan(deadline);
                assertThat(child.process.isAlive()).as(child.output()).isTrue();
                Thread.sleep(100);
            }
            child.process.destroy(); // SIGTERM
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("child did not exit").isTrue();
        }
        finally {
            child.process.destroyForcibly();
        }
        String output = child.output();
        assertThat(child.process.exitValue()).as(output).isEqualTo(ExitCodes.STOPPED);
        assertThat(output).contains("test-slow-count-scoped STOPPED").doesNotContain("ERROR")
                .doesNotContain("No context holder");
        assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("STOPPED");
    }

    /** {@code stop <id>} from another process: the running one sees STOPPING at its next commit. */
    @Test
    void stopFromAnotherProcessEndsTheRunStopped() throws Exception {
        Cli cli = new Cli();
        ChildLauncher child = ChildLauncher.start(cli, List.of(), TestJobs.SLOW_COUNT, "items=200", "millis=100",
                "label=stop");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!child.output().contains("number 2")) {
                assertThat(System.nanoTime()).as("child never started:\n" + child.output()).isLessThan(deadline);
                assertThat(child.process.isAlive()).as(child.output()).isTrue();
                Thread.sleep(100);
            }
            Cli.Result stop = cli.run("stop", "1");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.out()).contains("execution 1 of test-slow-count is STOPPING: it ends STOPPED at its next commit");
            assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).as("child did not stop").isTrue();
        }
        finally {
            child.process.destroyForcibly();
        }
        assertThat(child.process.exitValue()).as(child.output()).isEqualTo(ExitCodes.STOPPED);
        assertThat(child.output()).contains("test-slow-count STOPPED", "'restart 1' or the same command line resumes");
        assertThat(RestartTest.query(cli, "select status from batch_job_execution")).containsExactly("STOPPED");
    }

    @Test
    void abandonedExecutionsAreNotRestarted() throws Exception {
        Cli cli = new Cli();
        Cli.Result stopped = cli.run(TestJobs.SLOW_COUNT, "items=3", "millis=1", "label=abandon");
        assertThat(stopped.exitCode()).isZero();
        // Make it look like a stopped run, as SIGTERM leaves it.
        try (var c = java.sql.DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "")) {
            c.createStatement().executeUpdate("update batch_job_execution set status = 'STOPPED', exit_code = 'STOPPED'");
        }
        Cli.Result abandoned = cli.run("abandon", "1");
        assertThat(abandoned.exitCode()).as(abandoned.toString()).isZero();
        assertThat(abandoned.out()).contains("execution 1 of test-slow-count is ABANDONED");
        assertThat(cli.run("executions", TestJobs.SLOW_COUNT).out()).contains("ABANDONED");
        assertThat(cli.run("restart", "1").err()).contains("is ABANDONED; only FAILED or STOPPED");
        assertThat(cli.run("executions", "last=x").err().strip())
                .isEqualTo("error: executions: bad value for last='x': expected a whole number above 0");
    }

    private static long committedItems(Cli cli) throws Exception {
        try {
            List<String> rows = RestartTest.query(cli, "select coalesce(sum(write_count), 0) from batch_step_execution");
            return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0));
        }
        catch (java.sql.SQLException e) {
            return 0; // the child has not created the schema yet
        }
    }
}
