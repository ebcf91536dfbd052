package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.nio.file.Files;
import java.nio.file.Path;

import com.cruddur.batch.launch.testjob.TestJobs;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;

/**
 * Restarts through the JDBC job repository. The endpoint "going away" is simulated at the protocol
 * level by {@link AwsProxy} in front of the real dynalite: it answers 503 ServiceUnavailable, which
 * is what the SDK sees from a DynamoDB endpoint that is down.
 */
class RestartTest {

    @Test
    void aRunThatFailsPartWayIsResumedByTheSameCommand() throws Exception {
        String table = "restart-" + System.nanoTime();
        AtomicBoolean down = new AtomicBoolean();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            // The endpoint goes down right after the table was created: create-table commits, wait-active fails.
            proxy.fault((operation, body) -> {
                if (down.get()) {
                    return AwsProxy.Response.error(503, "ServiceUnavailable", "endpoint down");
                }
                if (operation.equals("CreateTable")) {
                    down.set(true);
                }
                return null;
            });
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "1");

            Cli.Result failed = cli.run("schema-load", "table=" + table);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).contains("step create-table", "COMPLETED", "step wait-active",
                    "schema-load FAILED", "reason: endpoint down");

            // The created table becomes ACTIVE in dynalite meanwhile; only the wait must run again.
            AwsClients.awaitTableActive(table);
            down.set(false);
            proxy.operations().clear();
            Cli.Result resumed = cli.run("schema-load", "table=" + table);

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err()).contains("schema-load: restarting instance");
            assertThat(resumed.out()).contains("table " + table + " is ACTIVE").doesNotContain("created table")
                    .doesNotContain("step create-table");
            assertThat(proxy.operations()).containsOnly("DescribeTable");
            assertThat(query(cli, "select s.step_name || ' ' || s.status from batch_step_execution s "
                    + "order by s.step_execution_id"))
                    .containsExactly("create-table COMPLETED", "wait-active FAILED", "wait-active COMPLETED");
            assertThat(query(cli, "select count(distinct job_instance_id) || ' ' || count(*) from batch_job_execution"))
                    .containsExactly("1 2");
        }
    }

    @Test
    void aCompletedRunIsRunAgainAsANewInstance() throws Exception {
        Cli cli = new Cli();
        assertThat(cli.run("list-tables", "prefix=none-").exitCode()).isZero();
        assertThat(cli.run("list-tables", "prefix=none-").exitCode()).isZero();
        assertThat(cli.run("list-tables", "prefix=none-").exitCode()).isZero();

        assertThat(query(cli, "select count(distinct job_instance_id) || ' ' || count(*) from batch_job_execution"))
                .containsExactly("3 3");
        assertThat(query(cli, "select parameter_name || '=' || parameter_value from batch_job_execution_params "
                + "where parameter_name = 'run.id' order by parameter_value"))
                .containsExactly("run.id=1", "run.id=2");
    }

    /**
     * A launcher killed with SIGKILL leaves its execution STARTED. Launching again on the same host
     * sees that the recorded PID is gone, recovers the execution and restarts it.
     */
    /**
     * restart of a COMPLETED execution launched with partitioning=remote is refused for its status, before the
     * RabbitMQ side of a remote restart is set up (here it would be refused for the H2 repository instead). Remote
     * runs need PostgreSQL and workers; the repository row of the completed run is given the parameter such a run
     * has.
     */
    @Test
    void aCompletedRemoteExecutionIsRefusedForItsStatusFirst() throws Exception {
        Cli cli = new Cli();
        assertThat(cli.run("list-tables", "prefix=none-").exitCode()).isZero();
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "")) {
            c.createStatement().executeUpdate("insert into batch_job_execution_params (job_execution_id, "
                    + "parameter_name, parameter_type, parameter_value, identifying) values (1, 'partitioning', "
                    + "'java.lang.String', 'remote', 'N')");
        }

        Cli.Result restart = cli.run("restart", "1");

        assertThat(restart.exitCode()).as(restart.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(restart.err().strip()).isEqualTo("error: restart: execution 1 of list-tables is COMPLETED; only "
                + "FAILED or STOPPED executions restart (launch the job again for a new run)");
    }

    @Test
    void anExecutionLeftStartedByAKilledProcessIsRecoveredAndRestarted() throws Exception {
        String table = "killed-" + System.nanoTime();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            // Once the table is created, DescribeTable says CREATING for as long as we hold it, so the
            // child is surely inside wait-active when it is killed.
            AtomicBoolean created = new AtomicBoolean();
            AtomicBoolean hold = new AtomicBoolean(true);
            proxy.fault((operation, body) -> {
                if (operation.equals("CreateTable")) {
                    created.set(true);
                }
                else if (operation.equals("DescribeTable") && created.get() && hold.get()) {
                    return new AwsProxy.Response(200, "{\"Table\":{\"TableName\":\"" + table
                            + "\",\"TableStatus\":\"CREATING\"}}");
                }
                return null;
            });
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            Process child = ChildLauncher.start(cli, "schema-load", "table=" + table, "wait-seconds=600").process;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!created.get() || proxy.operations().stream().filter("DescribeTable"::equals).count() < 3) {
                    assertThat(System.nanoTime()).as("child never reached wait-active").isLessThan(deadline);
                    Thread.sleep(100);
                }
                child.destroyForcibly().waitFor();
            }
            finally {
                child.destroyForcibly();
            }
            hold.set(false);
            assertThat(query(cli, "select status from batch_job_execution")).containsExactly("STARTED");

            Cli.Result relaunched = cli.run("schema-load", "table=" + table, "wait-seconds=600");

            assertThat(relaunched.exitCode()).as(relaunched.toString()).isZero();
            assertThat(relaunched.err()).contains("was left STARTED by pid " + child.pid(), "which is gone; recovered it (nothing held its job-instance lock)", "restarting instance");
            assertThat(query(cli, "select status from batch_job_execution order by job_execution_id"))
                    .containsExactly("FAILED", "COMPLETED");
        }
    }

    /**
     * The host and PID an execution recorded prove nothing (containers share host names, not PIDs): here
     * they name this test JVM, which is alive, but no process holds the job-instance lock, so the
     * execution's process is gone and the launch recovers it.
     */
    @Test
    void aLivePidWithoutTheInstanceLockDoesNotKeepAnExecutionRunning() throws Exception {
        Cli cli = new Cli();
        assertThat(cli.run("list-tables", "prefix=busy-").exitCode()).isZero();
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "")) {
            c.createStatement().executeUpdate("update batch_job_execution set status = 'STARTED', end_time = null");
        }

        Cli.Result relaunched = cli.run("list-tables", "prefix=busy-");

        assertThat(relaunched.exitCode()).as(relaunched.toString()).isZero();
        assertThat(relaunched.err()).contains("list-tables: execution 1 was left STARTED by pid "
                + ProcessHandle.current().pid() + " on ", "which is gone; recovered it (nothing held its job-instance lock)");
        assertThat(query(cli, "select status from batch_job_execution order by job_execution_id"))
                .containsExactly("FAILED", "COMPLETED");
        Cli.Result recover = cli.run("recover", "1");
        assertThat(recover.exitCode()).isZero();
        assertThat(recover.out().strip()).isEqualTo("execution 1 of list-tables is FAILED: nothing to recover");
    }

    /**
     * A restart killed (SIGKILL) before its first commit: the next launch resumes after the failed run's
     * last commit, instead of starting the step over.
     */
    @Test
    void aRestartKilledBeforeItsFirstCommitDoesNotStartTheStepOver() throws Exception {
        Cli cli = new Cli();
        Path failWhile = Files.createTempFile("fail-while", ".marker");
        Cli.Result failed = cli.run(TestJobs.SLOW_COUNT, "items=6", "millis=1", "label=killed-restart",
                "fail-while=" + failWhile);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(failed.lines()).contains("number 1", "number 2").doesNotContain("number 3");
        Files.delete(failWhile);

        // The restart waits before reading item 3 while this file exists: it has started, not committed.
        Path hold = Files.createTempFile("hold-while", ".marker");
        ChildLauncher child = ChildLauncher.start(cli, TestJobs.SLOW_COUNT, "items=6", "millis=1",
                "label=killed-restart", "hold-while=" + hold);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // Once it says so, the child has the database open: querying it no longer races its start.
            while (!child.output().contains("restarting instance")) {
                assertThat(System.nanoTime()).as(child.output()).isLessThan(deadline);
                assertThat(child.process.isAlive()).as(child.output()).isTrue();
                Thread.sleep(100);
            }
            while (!query(cli, "select count(*) from batch_step_execution where status = 'STARTED'").equals(List.of("1"))) {
                assertThat(System.nanoTime()).as(child.output()).isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(500);
            child.process.destroyForcibly().waitFor();
        }
        finally {
            child.process.destroyForcibly();
            Files.deleteIfExists(hold);
        }
        assertThat(query(cli, "select status from batch_job_execution order by job_execution_id"))
                .containsExactly("FAILED", "STARTED");

        Cli.Result resumed = cli.run(TestJobs.SLOW_COUNT, "items=6", "millis=1", "label=killed-restart");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("execution 2 was left STARTED by pid " + child.process.pid());
        assertThat(resumed.lines()).doesNotContain("number 1", "number 2").contains("number 3", "number 6");
        assertThat(query(cli, "select sum(write_count) from batch_step_execution")).containsExactly("6");
    }

    static List<String> query(Cli cli, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
