package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;

/**
 * The scheduler mode for real: two scheduler processes (child JVMs) share one PostgreSQL job repository
 * and fire the same slow job every two seconds. Runs must never overlap, each must be its own instance
 * (scheduled.time), the loser of a tick must say it skipped, and SIGTERM must leave nothing running.
 */
class SchedulerTest {

    @Test
    void twoSchedulersSharingARepositoryNeverRunAJobTwiceAtOnce() throws Exception {
        String url = Postgres.newDatabase("scheduler");
        Cli cli = new Cli().jdbcUrl(url).property("spring.datasource.username", "postgres");
        List<String> schedule = List.of("--cruddur.scheduler.schedules[0].job=" + TestJobs.SLOW_COUNT,
                "--cruddur.scheduler.schedules[0].cron=*/2 * * * * *",
                "--cruddur.scheduler.schedules[0].parameters.items=10",
                "--cruddur.scheduler.schedules[0].parameters.millis=300");
        ChildLauncher first = ChildLauncher.start(cli, schedule, "schedule");
        ChildLauncher second = ChildLauncher.start(cli, schedule, "schedule");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(both(first, second).contains("holds the job lock")
                    && count(both(first, second), "test-slow-count COMPLETED") >= 2)) {
                assertThat(System.nanoTime()).as("no skipped tick and two runs:\n" + both(first, second))
                        .isLessThan(deadline);
                assertThat(first.process.isAlive() && second.process.isAlive()).as(both(first, second)).isTrue();
                Thread.sleep(250);
            }
            first.process.destroy(); // SIGTERM
            second.process.destroy();
            assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            first.process.destroyForcibly();
            second.process.destroyForcibly();
        }
        String output = both(first, second);
        assertThat(first.process.exitValue()).as(output).isZero();
        assertThat(second.process.exitValue()).as(output).isZero();
        assertThat(count(output, "scheduler stopped")).isEqualTo(2);
        assertThat(output).doesNotContain(" ERROR ");
        assertThat(output).contains("scheduled test-slow-count on '*/2 * * * * *' (UTC)");

        List<Run> runs = runs(url);
        assertThat(runs.size()).as(output).isGreaterThanOrEqualTo(2);
        for (int i = 1; i < runs.size(); i++) {
            assertThat(runs.get(i).start()).as("run %d starts before run %d ended: %s", i, i - 1, runs)
                    .isAfterOrEqualTo(runs.get(i - 1).end());
        }
        assertThat(runs).allMatch(r -> r.status().equals("COMPLETED") || r.status().equals("STOPPED"));
        assertThat(runs.stream().map(Run::scheduledTime).distinct().count()).isEqualTo(runs.size());
        assertThat(runs.stream().map(Run::instance).distinct().count()).isEqualTo(runs.size());

        Cli.Result history = cli.run("executions", TestJobs.SLOW_COUNT);
        assertThat(history.lines()).hasSize(runs.size() + 1);
        assertThat(history.out()).contains("scheduled.time=");
    }

    /** restart-failed: the tick after a FAILED scheduled run restarts that instance instead of starting a new one. */
    @Test
    void aFailedScheduledRunIsRestartedByTheNextTick() throws Exception {
        Cli cli = new Cli();
        java.nio.file.Path marker = java.nio.file.Files.createTempFile("fail-while", ".marker");
        ChildLauncher scheduler = ChildLauncher.start(cli, List.of(
                "--cruddur.scheduler.schedules[0].job=" + TestJobs.SLOW_COUNT,
                "--cruddur.scheduler.schedules[0].cron=*/2 * * * * *",
                "--cruddur.scheduler.schedules[0].restart-failed=true",
                "--cruddur.scheduler.schedules[0].parameters.items=5",
                "--cruddur.scheduler.schedules[0].parameters.millis=10",
                "--cruddur.scheduler.schedules[0].parameters.fail-while=" + marker), "schedule");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!scheduler.output().contains("test-slow-count FAILED")) {
                assertThat(System.nanoTime()).as(scheduler.output()).isLessThan(deadline);
                Thread.sleep(200);
            }
            java.nio.file.Files.delete(marker);
            while (!scheduler.output().contains("test-slow-count COMPLETED")) {
                assertThat(System.nanoTime()).as(scheduler.output()).isLessThan(deadline);
                Thread.sleep(200);
            }
            scheduler.process.destroy();
            assertThat(scheduler.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            scheduler.process.destroyForcibly();
        }
        String output = scheduler.output();
        assertThat(output).contains("restarting execution 1 (FAILED, scheduled at ");
        // The failed run and its restart are one instance; the restart resumed after the two committed items.
        List<String> runs = RestartTest.query(cli, "select e.job_instance_id || ' ' || e.status || ' ' || s.read_count "
                + "from batch_job_execution e join batch_step_execution s on s.job_execution_id = e.job_execution_id "
                + "order by e.job_execution_id");
        // (If a tick came before the marker was gone, there is one more FAILED restart of the same instance.)
        List<String> first = runs.stream().filter(r -> r.startsWith("1 ")).toList();
        assertThat(first.get(0)).as(output).isEqualTo("1 FAILED 2");
        assertThat(first.get(first.size() - 1)).as(output).isEqualTo("1 COMPLETED 3");
        assertThat(first.subList(1, first.size() - 1)).allMatch(r -> r.equals("1 FAILED 0"));
    }

    /**
     * Two entries of one job: restart-failed of one entry restarts only that entry's runs (found by
     * scheduled.by), never the failed run of the other entry.
     */
    @Test
    void restartFailedRestartsOnlyItsOwnEntrysRun() throws Exception {
        Cli cli = new Cli();
        java.nio.file.Path marker = java.nio.file.Files.createTempFile("fail-while", ".marker");
        ChildLauncher scheduler = ChildLauncher.start(cli, List.of(
                "--cruddur.scheduler.schedules[0].name=failing",
                "--cruddur.scheduler.schedules[0].job=" + TestJobs.SLOW_COUNT,
                "--cruddur.scheduler.schedules[0].cron=0/4 * * * * *",
                "--cruddur.scheduler.schedules[0].parameters.items=5",
                "--cruddur.scheduler.schedules[0].parameters.millis=10",
                "--cruddur.scheduler.schedules[0].parameters.fail-while=" + marker,
                "--cruddur.scheduler.schedules[1].name=healthy",
                "--cruddur.scheduler.schedules[1].job=" + TestJobs.SLOW_COUNT,
                "--cruddur.scheduler.schedules[1].cron=2/4 * * * * *",
                "--cruddur.scheduler.schedules[1].restart-failed=true",
                "--cruddur.scheduler.schedules[1].parameters.items=5",
                "--cruddur.scheduler.schedules[1].parameters.millis=10"), "schedule");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            // Two healthy runs after the first failure of the other entry.
            while (!(scheduler.output().contains("test-slow-count FAILED") && count(scheduler.output()
                    .substring(scheduler.output().indexOf("test-slow-count FAILED")), "test-slow-count COMPLETED") >= 2)) {
                assertThat(System.nanoTime()).as(scheduler.output()).isLessThan(deadline);
                assertThat(scheduler.process.isAlive()).as(scheduler.output()).isTrue();
                Thread.sleep(200);
            }
            scheduler.process.destroy();
            assertThat(scheduler.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            scheduler.process.destroyForcibly();
            java.nio.file.Files.deleteIfExists(marker);
        }
        String output = scheduler.output();
        assertThat(output).contains("healthy (test-slow-count) scheduled at ").doesNotContain("restarting execution");
        // Every run of "healthy" is an instance of its own that completed (or was stopped by SIGTERM).
        List<String> healthy = RestartTest.query(cli, "select e.status from batch_job_execution e "
                + "join batch_job_execution_params b on b.job_execution_id = e.job_execution_id "
                + "and b.parameter_name = 'scheduled.by' and b.parameter_value = 'healthy'");
        assertThat(healthy).as(output).hasSizeGreaterThanOrEqualTo(2).allMatch(s -> s.equals("COMPLETED") || s.equals("STOPPED"));
    }

    @Test
    void aBadScheduleIsOneLineNamingTheEntry() {
        Cli cli = new Cli();
        Cli.Result unknownJob = cli.run("schedule", "--cruddur.scheduler.schedules[0].job=nightly-magic",
                "--cruddur.scheduler.schedules[0].cron=0 0 2 * * *");
        assertThat(unknownJob.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownJob.err().strip()).isEqualTo(
                "error: cruddur.scheduler.schedules[0].job: unknown job 'nightly-magic'; 'list' shows the jobs");

        Cli.Result badCron = cli.run("schedule", "--cruddur.scheduler.schedules[0].job=list-tables",
                "--cruddur.scheduler.schedules[0].cron=0 0 2 * *");
        assertThat(badCron.err().strip()).startsWith("error: cruddur.scheduler.schedules[0].cron: '0 0 2 * *' is not a cron");

        Cli.Result badParameter = cli.run("schedule", "--cruddur.scheduler.schedules[0].job=list-tables",
                "--cruddur.scheduler.schedules[0].cron=@daily",
                "--cruddur.scheduler.schedules[0].parameters.colour=red");
        assertThat(badParameter.err().strip()).isEqualTo("error: cruddur.scheduler.schedules[0].parameters: "
                + "list-tables: unknown parameter 'colour'; known: prefix");

        Cli.Result unknownPlaceholder = cli.run("schedule", "--cruddur.scheduler.schedules[0].job=list-tables",
                "--cruddur.scheduler.schedules[0].cron=@daily",
                "--cruddur.scheduler.schedules[0].parameters.prefix=cruddur-{scheduled.week}");
        assertThat(unknownPlaceholder.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownPlaceholder.err().strip()).isEqualTo("error: cruddur.scheduler.schedules[0].parameters.prefix: "
                + "unknown placeholder '{scheduled.week}'; known: {scheduled.time}, {scheduled.date}");

        Cli.Result unwritableLivenessFile = cli.run("schedule", "--cruddur.scheduler.schedules[0].job=list-tables",
                "--cruddur.scheduler.schedules[0].cron=@daily", "--cruddur.scheduler.liveness.file=/proc/no-such-dir/alive");
        assertThat(unwritableLivenessFile.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unwritableLivenessFile.err().strip()).isEqualTo("error: cruddur.scheduler.liveness.file: cannot write "
                + "/proc/no-such-dir/alive (NoSuchFileException); give a writable path, e.g. /tmp/cruddur-alive");
    }

    record Run(long instance, String status, Timestamp start, Timestamp end, String scheduledTime) {
    }

    private static List<Run> runs(String url) throws Exception {
        List<Run> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("select e.job_instance_id, e.status, e.start_time, "
                        + "e.end_time, p.parameter_value from batch_job_execution e join batch_job_execution_params p "
                        + "on p.job_execution_id = e.job_execution_id and p.parameter_name = 'scheduled.time' "
                        + "order by e.start_time")) {
            while (rs.next()) {
                runs.add(new Run(rs.getLong(1), rs.getString(2), rs.getTimestamp(3), rs.getTimestamp(4), rs.getString(5)));
            }
        }
        return runs;
    }

    private static String both(ChildLauncher a, ChildLauncher b) throws Exception {
        return a.output() + "\n" + b.output();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
