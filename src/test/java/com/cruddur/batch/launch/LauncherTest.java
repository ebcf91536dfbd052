package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/** The command line a person types: help, mistakes, configuration errors. */
class LauncherTest {

    private final Cli cli = new Cli();

    @Test
    void helpListsEveryJobWithItsParametersAndAnExample() {
        Cli.Result result = cli.run("--help");
        assertThat(result.exitCode()).isZero();
        for (JobDescriptor job : JobCatalog.JOBS) {
            assertThat(result.out()).contains(job.name(), job.example());
            job.parameters().forEach(p -> assertThat(result.out()).contains(p.name() + "="));
        }
        assertThat(result.out()).contains("default pay-per-request", "Exit codes");
        assertThat(cli.run("list").out()).isEqualTo(result.out());
    }

    @Test
    void helpForOneJob() {
        Cli.Result result = cli.run("drop-table", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("drop-table: ").contains("confirm=", "allow-prod=", "example:");
    }

    @Test
    void helpForAnOperationPrintsUsageAndDoesNotRunIt() {
        Cli.Result result = cli.run("schedule", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("schedule | executions [<job>] [last=N]", "restart|stop|abandon|recover <execution-id>");
        assertOneLineUsageError(cli.run("restart", "abc"), "error: restart: expected one execution id, e.g. 'restart 42'");
        assertOneLineUsageError(cli.run("executions", "list-tables", "x=1"),
                "error: executions: expected [<job>] [last=N], got 'x=1'");
        assertOneLineUsageError(cli.run("schedule", "now"),
                "error: schedule: takes no arguments; the schedules are in jobs-config/schedules.yml (cruddur.scheduler.schedules)");
    }

    @Test
    void noArgumentsPrintsUsageAndExits2() {
        Cli.Result result = cli.run();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).contains("usage:");
    }

    @Test
    void unknownJobIsOneLineAndExit2() {
        Cli.Result result = cli.run("schema-lod");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo("error: unknown job or command 'schema-lod'; 'list' shows the jobs");
    }

    @Test
    void badParametersAreNamed() {
        assertOneLineUsageError(cli.run("schema-load", "billing=free"),
                "error: schema-load: bad value for billing='free': expected one of pay-per-request, provisioned");
        assertOneLineUsageError(cli.run("schema-load", "read-capacity=-1"),
                "error: schema-load: bad value for read-capacity='-1': expected a whole number from 1 to 2147483647");
        assertOneLineUsageError(cli.run("list-tables", "colour=red"),
                "error: list-tables: unknown parameter 'colour'; known: prefix");
        assertOneLineUsageError(cli.run("drop-table", "table=xyz"),
                "error: drop-table: missing required parameter confirm=... (the same table name again)");
        assertOneLineUsageError(cli.run("list-tables", "prefix"),
                "error: list-tables: expected key=value, got 'prefix'");
    }

    @Test
    void invalidConfigurationNamesTheProperty() {
        Cli.Result result = cli.run("list-tables", "--cruddur.dynamodb.table-name=a b");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip())
                .isEqualTo("error: could not start: invalid configuration cruddur.dynamodb.tableName=a b: "
                        + "must be 3-255 characters of a-z A-Z 0-9 _ . -");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.aws.max-attempts=0"),
                "error: could not start: invalid configuration cruddur.aws.maxAttempts=0: "
                        + "must be greater than or equal to 1");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.aws.max-attempts=21"),
                "error: could not start: invalid configuration cruddur.aws.maxAttempts=21: "
                        + "must be less than or equal to 20");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.dynamodb.index-name= "),
                "error: could not start: invalid configuration cruddur.dynamodb.indexName= : must not be blank");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.aws.region=Mars"),
                "error: could not start: invalid configuration cruddur.aws.region=Mars: "
                        + "must be an AWS region such as us-east-1");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.dynamodb.endpoint=ftp://x"),
                "error: could not start: invalid configuration cruddur.dynamodb.endpoint=ftp://x: "
                        + "must be an http(s)://host[:port] URL or empty");
        assertOneLineUsageError(cli.run("list-tables", "--cruddur.cognito.user-pool-id=pool"),
                "error: could not start: invalid configuration cruddur.cognito.userPoolId=pool: "
                        + "must be a user pool id such as us-east-1_AbC123");
    }

    @Test
    void missingConfigurationDirectoryIsExplained() {
        Cli.Result result = cli.run("list-tables", "--config=/nonexistent/jobs-config");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no configuration directory /nonexistent/jobs-config", "--config=DIR");
    }

    private static void assertOneLineUsageError(Cli.Result result, String line) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip()).isEqualTo(line);
        assertThat(result.out()).isEmpty();
    }
}
