package com.cruddur.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job repository's schema script runs when the schema is missing (or incomplete), not on every
 * launch. The script used is Spring Batch's own plus one statement that counts its runs.
 */
class JobRepositorySchemaTest {

    @TempDir
    Path dir;

    @Test
    void theScriptRunsOnceNotOnEveryLaunch() throws Exception {
        Cli cli = cliCountingScriptRuns();

        for (int i = 0; i < 3; i++) {
            Cli.Result result = cli.run("executions");
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }
        Cli.Result job = cli.run("list-tables", "prefix=no-such-table-");
        assertThat(job.exitCode()).as(job.toString()).isZero();

        assertThat(query(cli, "select count(*) from script_runs")).isEqualTo(1);
        assertThat(query(cli, "select count(*) from batch_job_execution")).isEqualTo(1);
    }

    @Test
    void anIncompleteSchemaIsCompleted() throws Exception {
        Cli cli = cliCountingScriptRuns();
        assertThat(cli.run("executions").exitCode()).isZero();
        update(cli, "drop table batch_job_execution_context");

        Cli.Result job = cli.run("list-tables", "prefix=no-such-table-");

        assertThat(job.exitCode()).as(job.toString()).isZero();
        assertThat(query(cli, "select count(*) from script_runs")).isEqualTo(2);
        assertThat(query(cli, "select count(*) from batch_job_execution_context")).isEqualTo(1);
    }

    private Cli cliCountingScriptRuns() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/org/springframework/batch/core/schema-h2.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path schema = dir.resolve("schema.sql");
        Files.writeString(schema, script
                + "\nCREATE TABLE IF NOT EXISTS script_runs (n INT);\nINSERT INTO script_runs VALUES (1);\n");
        return new Cli().property("spring.batch.jdbc.schema", "file:" + schema);
    }

    private static long query(Cli cli, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void update(Cli cli, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }
}
