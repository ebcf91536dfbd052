package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * conversation-export (pattern A) and message-group-export (pattern B) against dynalite, with data larger
 * than one 1 MB Query page, across a year boundary (the old scripts' begins_with(sk, year) lost it).
 */
class ReadPatternJobsTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static String table;
    /** "big": 400 messages of 4 KB, about 1.6 MB, starting 2025-12-31T23:59Z, a minute apart. */
    private static final UUID BIG = TestTables.uuid("group-big");
    private static final UUID ALICE = TestTables.uuid("alice-big");
    private static final int MESSAGES = 400;
    /** Alice owns 130 groups (130 x 6 KB group rows, also more than a page). */
    private static final int ALICE_GROUPS = 130;

    @TempDir
    Path tmp;

    private final Cli cli = new Cli();

    @BeforeAll
    static void fill() {
        table = TestTables.create(dynamoDb, "patterns");
        List<Map<String, AttributeValue>> items = new ArrayList<>(TestTables.conversation("big", MESSAGES, 4000));
        for (int g = 0; g < ALICE_GROUPS; g++) {
            // Alice's other groups: her group row, last message g hours before 2026-03-01.
            String sk = MessageKeys.formatTime(java.time.Instant.parse("2026-03-01T00:00:00Z").minusSeconds(3600L * g));
            items.add(new com.cruddur.batch.messages.GroupRow(ALICE, sk, TestTables.uuid("other-group-" + g),
                    TestTables.text("last of " + g + " ", 6000), TestTables.uuid("friend-" + g), "Friend " + g,
                    "friend" + g).toItem());
        }
        TestTables.put(dynamoDb, table, items);
    }

    @Test
    void conversationIsEveryMessageOldestFirstAcrossPagesAndYears() throws Exception {
        Path out = tmp.resolve("conversation.jsonl");
        Cli.Result result = cli.run("conversation-export", "table=" + table, "group=" + BIG, "format=json",
                "output=" + out, "chunk-size=64");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> rows = Files.readAllLines(out).stream().map(JSON::readTree).toList();
        assertThat(rows).hasSize(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("created_at").asString())
                    .isEqualTo(MessageKeys.formatTime(TestTables.T0.plusSeconds(60L * i)));
            assertThat(row.get("message_uuid").asString()).isEqualTo(TestTables.uuid("big-m" + i).toString());
            assertThat(row.get("user_handle").asString()).isEqualTo(i % 2 == 0 ? "alicebig" : "bobbig");
            assertThat(row.get("message_group_uuid").asString()).isEqualTo(BIG.toString());
        }
        assertThat(result.out()).contains("step conversation", "read " + MESSAGES + ", written " + MESSAGES);
    }

    @Test
    void conversationWindowIsFromInclusiveToExclusiveAsAReadableTable() {
        // Messages 0..399 are at T0 + i minutes, T0 = 2025-12-31T23:59Z: the window [i=1, i=121) spans new year.
        Cli.Result result = cli.run("conversation-export", "table=" + table, "group=" + BIG,
                "from=2026-01-01T00:00:00Z", "to=2026-01-01T02:00:00Z", "page-size=7", "chunk-size=10");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.lines();
        assertThat(lines.get(0)).isEqualTo(ReadPatternFormats.CONVERSATION_HEADER).startsWith("time (UTC)");
        List<String> rows = lines.stream().filter(l -> l.startsWith("2026-")).toList();
        assertThat(rows).hasSize(120);
        assertThat(rows.get(0)).startsWith("2026-01-01 00:00:00  @bobbig               big #1 lorem ipsum");
        assertThat(rows.get(119)).startsWith("2026-01-01 01:59:00  @alicebig             big #120 lorem");
        assertThat(lines).noneMatch(l -> l.startsWith("2025-12-31") || l.startsWith("2026-01-01 02:00"));
    }

    @Test
    void unknownGroupIsAnErrorNotAnEmptySuccess() {
        UUID unknown = UUID.randomUUID();
        Cli.Result result = cli.run("conversation-export", "table=" + table, "group=" + unknown);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("reason: no message group " + unknown + " in table " + table);
    }

    @Test
    void groupsOfAUserByHandleNewestFirstAcrossPages() throws Exception {
        insertUser(cli, ALICE, "alicebig");
        Cli.Result result = cli.run("message-group-export", "table=" + table, "handle=alicebig", "page-size=9",
                "chunk-size=20");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.lines();
        assertThat(lines.get(0)).isEqualTo(ReadPatternFormats.GROUPS_HEADER);
        List<String> rows = lines.stream().filter(l -> l.matches("^20\\d\\d-.*")).toList();
        assertThat(rows).hasSize(ALICE_GROUPS + 1);
        // Newest first: 2026-03-01 00:00, then an hour earlier each; the "big" group (last message
        // 2026-01-01 06:38) falls in between, in its place by time.
        assertThat(rows.get(0)).startsWith("2026-03-01 00:00:00  @friend0 (Friend 0)").contains(
                TestTables.uuid("other-group-0").toString(), "last of 0 lorem");
        assertThat(rows.get(1)).startsWith("2026-02-28 23:00:00  @friend1 (Friend 1)");
        List<String> times = rows.stream().map(r -> r.substring(0, 19)).toList();
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(rows).anyMatch(r -> r.startsWith("2026-01-01 06:38:00  @bobbig (Bob big)") && r.contains(BIG.toString())
                && r.contains("big #399 lorem"));
    }

    @Test
    void groupsOfAUserByUuidAsJsonLinesToAFile() throws Exception {
        Path out = tmp.resolve("groups.jsonl");
        Cli.Result result = cli.run("message-group-export", "table=" + table, "user=" + ALICE, "format=json",
                "output=" + out);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<JsonNode> rows = Files.readAllLines(out).stream().map(JSON::readTree).toList();
        assertThat(rows).hasSize(ALICE_GROUPS + 1);
        assertThat(rows.get(0).get("user_handle").asString()).isEqualTo("friend0");
        assertThat(rows.get(0).get("owner_user_uuid").asString()).isEqualTo(ALICE.toString());
        assertThat(rows.get(0).get("last_message_at").asString()).isEqualTo("2026-03-01T00:00:00.000000+00:00");
    }

    @Test
    void unknownHandleOrUserIsAClearErrorAndAmbiguousHandleIsRefused() throws Exception {
        Cli.Result noTable = cli.run("message-group-export", "table=" + table, "handle=nobody");
        assertThat(noTable.exitCode()).as(noTable.toString()).isEqualTo(1);
        assertThat(noTable.out()).contains("reason: cannot read public.users: Table \"users\" not found");

        insertUser(cli, UUID.randomUUID(), "somebody");
        Cli.Result noHandle = cli.run("message-group-export", "table=" + table, "handle=nobody");
        assertThat(noHandle.exitCode()).as(noHandle.toString()).isEqualTo(1);
        assertThat(noHandle.out()).contains("reason: no user with handle 'nobody' in public.users");

        UUID stranger = UUID.randomUUID();
        Cli.Result noUser = cli.run("message-group-export", "table=" + table, "user=" + stranger);
        assertThat(noUser.exitCode()).as(noUser.toString()).isEqualTo(1);
        assertThat(noUser.out()).contains("reason: no user " + stranger + ": not in public.users and no message groups");

        insertUser(cli, UUID.randomUUID(), "twin");
        insertUser(cli, UUID.randomUUID(), "twin");
        Cli.Result twins = cli.run("message-group-export", "table=" + table, "handle=twin");
        assertThat(twins.exitCode()).as(twins.toString()).isEqualTo(1);
        assertThat(twins.out()).contains("reason: handle 'twin' belongs to 2 users", "give user=UUID instead");

        Cli.Result both = cli.run("message-group-export", "handle=twin", "user=" + stranger);
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(2);
        assertThat(both.err()).contains("give exactly one of handle=... or user=UUID");
    }

    private static void insertUser(Cli cli, UUID uuid, String handle) throws Exception {
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "")) {
            c.createStatement().execute(Files.readString(Path.of("jobs-config/sql/users-h2.sql")));
            try (PreparedStatement insert = c.prepareStatement("insert into public.users (uuid, display_name, handle, "
                    + "email, cognito_user_id) values (?, ?, ?, ?, 'MOCK')")) {
                insert.setObject(1, uuid);
                insert.setString(2, "User " + handle);
                insert.setString(3, handle);
                insert.setString(4, handle + "@example.com");
                insert.executeUpdate();
            }
        }
    }
}
