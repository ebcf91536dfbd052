package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.CognitoStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Throttling and a killed run, through the real launcher. Cognito is played by {@link CognitoStub},
 * a protocol-level STUB of ListUsers (AWS JSON 1.1), because cognito-local returns all users in one
 * page, never throttles and has no pagination tokens to resume from; the users table is a real H2
 * file database shared with the child process.
 */
class CognitoJobsThrottlingAndRestartTest {

    static final List<CognitoStub.User> USERS = IntStream.rangeClosed(1, 300)
            .mapToObj(i -> CognitoStub.User.of(String.format("user%03d", i), "User " + i)).toList();

    @TempDir
    Path dir;

    @Test
    void throttledRequestsAreRetriedByTheSdkWithBackoff() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS.subList(0, 130))) {
            stub.throttleNext(2);
            Path out = dir.resolve("users.csv");

            Cli.Result result = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stub.endpoint().toString())
                    .run("cognito-user-export", "pool-id=us-east-1_Stub", "output=" + out);

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Files.readAllLines(out)).hasSize(131);
            assertThat(stub.requests()).extracting(CognitoStub.Request::answer)
                    .containsExactly("throttled", "throttled", "page 0-60", "page 60-120", "page 120-130");
        }
    }

    @Test
    void throttlingBeyondTheRetriesFailsTheRunWithTheServiceMessage() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS.subList(0, 130))) {
            stub.throttleNext(100);

            Cli.Result result = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stub.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "2")
                    .run("cognito-user-export", "pool-id=us-east-1_Stub", "output=" + dir.resolve("users.csv"));

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.out()).contains("cognito-user-export FAILED", "reason: Too many requests");
            assertThat(stub.requests()).hasSize(2);
        }
    }

    /**
     * An export that fails on page 3 (throttled beyond the retries) is resumed by the same command:
     * the file is cut back to its last committed line and completed, header once, no line twice,
     * still readable by its owner only.
     */
    @Test
    void aFailedExportIsResumedIntoTheSameOwnerOnlyFile() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS.subList(0, 130))) {
            stub.throttleAfterPages(2);
            Path out = dir.resolve("users.csv");
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stub.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "2");
            String[] args = { "cognito-user-export", "pool-id=us-east-1_Stub", "output=" + out, "chunk-size=50" };

            Cli.Result failed = cli.run(args);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
            assertThat(Files.readAllLines(out)).hasSize(1 + 100);
            stub.release();
            int before = stub.requests().size();

            Cli.Result resumed = cli.run(args);

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err()).contains("restarting instance");
            assertThat(stub.requests().subList(before, stub.requests().size())).extracting(CognitoStub.Request::token)
                    .containsExactly(stub.tokenFor(60), stub.tokenFor(120));
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(131).doesNotHaveDuplicates();
            assertThat(lines.get(0)).startsWith("username,");
            assertThat(lines.subList(1, 131)).extracting(l -> l.split(",")[2])
                    .isEqualTo(USERS.subList(0, 130).stream().map(CognitoStub.User::preferredUsername).toList());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                    .isEqualTo("rw-------");
        }
    }

    /**
     * The export appends to its file, so a refused token (page 2's, expired) must not start the listing
     * over as the sync's does: that wrote the first page's users a second time. The step fails with one
     * line, the file holds each committed user once, and the same command writes the file over from the
     * first user, saying so.
     */
    @Test
    void anExpiredTokenFailsTheExportWithoutDuplicatesAndTheSameCommandWritesTheFileOver() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS.subList(0, 130))) {
            stub.expireTokensAfterPages(1);
            Path out = dir.resolve("users.csv");
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stub.endpoint().toString());
            String[] args = { "cognito-user-export", "pool-id=us-east-1_Stub", "output=" + out, "chunk-size=50" };

            Cli.Result failed = cli.run(args);

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.out()).contains("cognito-user-export FAILED",
                    "reason: ListUsers of us-east-1_Stub refused the pagination token of page 2 (it expired or is "
                            + "invalid: Paging marker " + stub.tokenFor(60).replace("-2-", "-1-"),
                    "stopped rather than list users twice",
                    out + " holds the 50 users written before Cognito refused the pagination token; "
                            + "the same command writes it over from the first user");
            List<String> partial = Files.readAllLines(out);
            assertThat(partial).hasSize(1 + 50).doesNotHaveDuplicates();
            assertThat(stub.requests()).extracting(CognitoStub.Request::answer).containsExactly("page 0-60", "invalid token");

            Cli.Result again = cli.run(args);

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("writing " + out + " over from the first user",
                    "wrote 130 users to " + out);
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(131).doesNotHaveDuplicates();
            assertThat(lines.get(0)).startsWith("username,");
            assertThat(lines.subList(1, 131)).extracting(l -> l.split(",")[2])
                    .isEqualTo(USERS.subList(0, 130).stream().map(CognitoStub.User::preferredUsername).toList());
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
                    .isEqualTo("rw-------");
        }
    }

    /**
     * The token for page 2 has expired when the job asks for it: the reader starts the listing
     * over, the users already committed are passed over, and every row ends up right once.
     */
    @Test
    void anExpiredTokenMidRunStartsTheListingOverAndEndsRight() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS)) {
            stub.expireTokensAfterPages(1);
            Cli cli = cli(stub, "expired");

            Cli.Result result = cli.run("cognito-user-sync", "pool-id=us-east-1_Stub", "chunk-size=50",
                    "report=" + dir.resolve("report.txt"));

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(stub.requests()).extracting(CognitoStub.Request::answer).containsExactly("page 0-60",
                    "invalid token", "page 0-60", "page 60-120", "page 120-180", "page 180-240", "page 240-300");
            assertThat(result.out()).contains("cognito users 300", "matched 300: updated 300, unchanged 0",
                    "read 360, written 360");
            assertThat(cognitoIds(cli)).hasSize(301).filteredOn(r -> r.endsWith(" MOCK")).containsExactly("ghost MOCK");
        }
    }

    /**
     * The child process is killed (SIGKILL) while it waits for page 4, after three chunks of 50
     * committed. The same command, launched again, recovers the execution, resumes the listing at
     * the page of its last commit (page 3, with 30 of its users already written) and ends with the table exactly as an
     * uninterrupted run leaves it, and a report that counts the users of both runs.
     */
    @Test
    void aKilledSyncRelaunchedWithTheSameParametersEndsAsAnUninterruptedRun() throws Exception {
        try (CognitoStub stub = new CognitoStub(USERS)) {
            stub.holdAfterPages(3);
            Cli killed = cli(stub, "killed");
            String[] args = { "cognito-user-sync", "pool-id=us-east-1_Stub", "chunk-size=50",
                    "report=" + dir.resolve("report.txt") };
            Process child = ChildLauncher.start(killed, args).process;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (stub.requests().stream().noneMatch(r -> r.answer().equals("held"))) {
                    assertThat(child.isAlive()).as("child ended before it reached page 4").isTrue();
                    assertThat(System.nanoTime()).as("child never asked for page 4").isLessThan(deadline);
                    Thread.sleep(100);
                }
                // H2 writes commits to its file up to ~0.5 s later; give it the time, as a quiet
                // second before a crash would. Rows and job repository share that file, so what a
                // kill loses, it loses from both: the restart position always matches the rows.
                Thread.sleep(1000);
                child.destroyForcibly().waitFor();
            }
            finally {
                child.destroyForcibly();
            }
            int committed = (int) cognitoIds(killed).stream().filter(r -> !r.endsWith(" MOCK")).count();
            assertThat(committed).as("users committed before the kill").isPositive().isLessThanOrEqualTo(150)
                    .isEqualTo(committed / 50 * 50);
            stub.release();
            int before = stub.requests().size();
            List<String> resumedTokens = new ArrayList<>();
            for (int offset = committed / 60 * 60; offset < 300; offset += 60) {
                resumedTokens.add(offset == 0 ? null : stub.tokenFor(offset));
            }

            Cli.Result relaunched = killed.run(args);

            assertThat(relaunched.exitCode()).as(relaunched.toString()).isZero();
            assertThat(relaunched.err()).contains("which is gone; recovered it", "restarting instance");
            assertThat(stub.requests().subList(before, stub.requests().size())).extracting(CognitoStub.Request::token)
                    .containsExactlyElementsOf(resumedTokens);
            assertThat(relaunched.out()).contains("cognito users 300", "matched 300: updated 300, unchanged 0",
                    "table rows with no Cognito user 1", "step sync-users",
                    "read " + (300 - committed) + ", written " + (300 - committed));

            Cli uninterrupted = cli(stub, "uninterrupted");
            Cli.Result reference = uninterrupted.run(args);
            assertThat(reference.exitCode()).as(reference.toString()).isZero();
            assertThat(cognitoIds(killed)).isEqualTo(cognitoIds(uninterrupted))
                    .contains("user001 " + USERS.get(0).sub(), "user300 " + USERS.get(299).sub(), "ghost MOCK");
        }
    }

    /** A job repository and users table of its own (H2 file), rows for every stub user plus one extra. */
    private Cli cli(CognitoStub stub, String name) {
        Cli cli = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", stub.endpoint().toString())
                .jdbcUrl("jdbc:h2:file:" + dir.resolve(name) + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        JdbcTemplate jdbc = jdbc(cli);
        jdbc.execute("CREATE TABLE public.users (uuid UUID PRIMARY KEY, display_name text NOT NULL, "
                + "handle text NOT NULL, email text NOT NULL, cognito_user_id text NOT NULL, "
                + "created_at TIMESTAMP DEFAULT current_timestamp NOT NULL)");
        List<Object[]> rows = new ArrayList<>();
        for (CognitoStub.User user : USERS) {
            rows.add(new Object[] { UUID.randomUUID(), user.name(), user.preferredUsername(), user.email(), "MOCK" });
        }
        rows.add(new Object[] { UUID.randomUUID(), "Ghost", "ghost", "ghost@example.com", "MOCK" });
        jdbc.batchUpdate("insert into public.users (uuid, display_name, handle, email, cognito_user_id) "
                + "values (?, ?, ?, ?, ?)", rows);
        return cli;
    }

    private static JdbcTemplate jdbc(Cli cli) {
        return new JdbcTemplate(new DriverManagerDataSource(cli.property("spring.datasource.url"), "sa", ""));
    }

    private static List<String> cognitoIds(Cli cli) {
        return jdbc(cli).queryForList("select handle || ' ' || cognito_user_id || ' ' || display_name || ' ' || email "
                + "from public.users order by handle", String.class).stream()
                .map(r -> r.substring(0, r.indexOf(' ', r.indexOf(' ') + 1))).toList();
    }
}
