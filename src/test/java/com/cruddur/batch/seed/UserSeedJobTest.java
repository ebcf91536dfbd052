package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.completedWithRejects;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code user-seed} through the real command line, on H2 (the embedded default) and a real PostgreSQL. */
class UserSeedJobTest {

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void seedsTheUsersOnceAndARerunUpdatesThemWithoutDuplicates(String platform) throws Exception {
        Cli cli = new Cli();
        if (platform.equals("postgresql")) {
            cli.jdbcUrl(Postgres.newDatabase("userseed")).property("spring.datasource.username", "postgres");
        }
        Cli.Result first = ok(cli.run("user-seed"));
        assertThat(first.out()).contains("seed-users: 5 inserted, 0 updated", "step seed-users",
                "read 5, written 5, skipped 0", "user-seed COMPLETED");
        assertThat(query(cli, "select handle || ' ' || display_name || ' ' || email || ' ' || cognito_user_id "
                + "from public.users order by handle")).containsExactly(
                        "lena Lena Okafor lena@example.test MOCK",
                        "marco Marco Lindqvist marco@example.test MOCK",
                        "priya Priya Raman priya@example.test MOCK",
                        "tomas Tomás Herrera tomas@example.test MOCK",
                        "yuki Yuki Sato yuki@example.test MOCK");
        // The Cognito sync has since filled in a real sub: a re-seed must not put MOCK back.
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"),
                platform.equals("h2") ? "sa" : "postgres", "")) {
            c.createStatement().executeUpdate("update public.users set cognito_user_id = 'sub-1', "
                    + "display_name = 'Old Name' where handle = 'lena'");
        }
        String uuidBefore = query(cli, "select cast(uuid as varchar) from public.users where handle = 'lena'").get(0);

        Cli.Result again = ok(cli.run("user-seed"));

        assertThat(again.out()).contains("seed-users: 0 inserted, 5 updated");
        assertThat(query(cli, "select count(*) from public.users")).containsExactly("5");
        assertThat(query(cli, "select display_name || ' ' || cognito_user_id || ' ' || cast(uuid as varchar) "
                + "from public.users where handle = 'lena'")).containsExactly("Lena Okafor sub-1 " + uuidBefore);
    }

    @Test
    void withTheProdProfileItIsRefusedUntilAllowProdIsGiven() throws Exception {
        // The users table is this Cli's own H2 file: only the profile makes the run need allow-prod.
        Cli remote = new Cli().property("spring.profiles.active", "prod").property("cruddur.aws.region", "us-east-1")
                .property("spring.datasource.username", "postgres"); // the prod profile's user, named for query()

        Cli.Result refused = remote.run("user-seed");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).isEqualTo(
                "error: user-seed: refusing to upsert into users with the prod profile active; "
                        + "add allow-prod=true if you really mean it");
        assertThat(query(remote, "select count(*) from information_schema.tables "
                + "where table_schema = 'public' and table_name = 'users'")).as("users table").containsExactly("0");

        ok(remote.run("user-seed", "allow-prod=true"));
        assertThat(query(remote, "select count(*) from public.users")).containsExactly("5");
    }

    @Test
    void badRowsGoToTheRejectsFileAndPastTheSkipLimitTheJobFails() throws Exception {
        Path dir = Files.createTempDirectory("user-seed");
        Path csv = Files.writeString(dir.resolve("users.csv"), """
                handle,email,display_name,cognito_user_id
                ana,ana@example.test,Ana Silva,sub-ana
                bad handle,x@example.test,Someone,
                ben,not-an-email,Ben,
                "carl,carl@example.test,Carl,
                dora,dora@example.test,Dora
                ,e@example.test,Empty,
                """);
        Cli cli = new Cli();
        Cli.Result run = completedWithRejects(cli.run("user-seed", "users=" + csv, "rejects-dir=" + dir.resolve("rejects")));

        assertThat(run.out()).contains("read 4, written 1, skipped 5",
                "seed-users: 5 rejected row(s) of " + csv + " written to " + dir.resolve("rejects"));
        assertThat(query(cli, "select handle || ' ' || cognito_user_id from public.users"))
                .containsExactly("ana sub-ana");
        Path rejects;
        try (var files = Files.list(dir.resolve("rejects"))) {
            rejects = files.findFirst().orElseThrow();
        }
        // Malformed lines are reported as they are read, checked rows when their chunk is processed.
        assertThat(Files.readAllLines(rejects)).first().isEqualTo("source,line,reason,record");
        assertThat(Files.readAllLines(rejects)).containsExactlyInAnyOrder("source,line,reason,record",
                "\"" + csv + "\",3,\"handle: has characters other than letters, digits, _ . -\",\"bad handle,x@example.test,Someone,\"",
                "\"" + csv + "\",4,\"email: not an e-mail address\",\"ben,not-an-email,Ben,\"",
                "\"" + csv + "\",5,\"unbalanced quotes\",\"\"\"carl,carl@example.test,Carl,\"",
                "\"" + csv + "\",6,\"expected 4 columns, found 3\",\"dora,dora@example.test,Dora\"",
                "\"" + csv + "\",7,\"handle: empty\",\",e@example.test,Empty,\"");

        Cli.Result limited = cli.run("user-seed", "users=" + csv, "skip-limit=2",
                "rejects-dir=" + dir.resolve("rejects2"));
        assertThat(limited.exitCode()).as(limited.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(limited.out()).contains("user-seed FAILED",
                "reason: more than 2 rejected row(s) (skip-limit=2); the next was " + csv
                        + " line 3: handle: has characters");
    }

    @Test
    void aMissingFileOrHeaderIsOneLineAndExitCode2() throws Exception {
        Cli cli = new Cli();
        Cli.Result missing = cli.run("user-seed", "users=no/such.csv");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).isEqualTo("error: users file no/such.csv does not exist");

        Path headless = Files.writeString(Files.createTempFile("users", ".csv"), "ana,ana@example.test,Ana\n");
        Cli.Result noHeader = cli.run("user-seed", "users=" + headless);
        assertThat(noHeader.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noHeader.err().strip()).isEqualTo("error: users file " + headless
                + " line 1: unknown column 'ana' in header; expected handle,display_name,email and optionally cognito_user_id");
    }
}
