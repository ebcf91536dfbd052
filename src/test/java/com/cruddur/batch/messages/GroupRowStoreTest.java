package com.cruddur.batch.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link GroupRowStore} against dynalite: what an owner's group rows look like after each operation. */
class GroupRowStoreTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final String T = "2026-11-20T08:10:00.000000+00:00";
    private static final String T_PLUS_1 = "2026-11-20T08:10:00.000001+00:00";
    private static final String EARLIER = "2026-11-20T08:05:00.000000+00:00";
    private static final UUID SMALLER = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID GREATER = UUID.fromString("ffffffff-0000-4000-8000-00000000000b");
    private static String table;

    @BeforeAll
    static void createTable() {
        table = "store-" + System.nanoTime();
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(dynamoDb, table);
    }

    @Test
    void twoGroupsOfOneOwnerEndingAtTheSameInstantAreBothKeptTheSameWayInEitherOrder() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        List<GroupRowStore.Shift> inOrder = new ArrayList<>();
        inOrder.addAll(store.place(row(first, SMALLER, T)).shifts());
        inOrder.addAll(store.place(row(first, GREATER, T)).shifts());
        List<GroupRowStore.Shift> reversed = new ArrayList<>();
        reversed.addAll(store.place(row(second, GREATER, T)).shifts());
        reversed.addAll(store.place(row(second, SMALLER, T)).shifts());

        assertThat(rows(first)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
        assertThat(rows(second)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
        assertThat(inOrder).containsExactly(new GroupRowStore.Shift(first, GREATER, T, T_PLUS_1, SMALLER));
        assertThat(reversed).containsExactly(new GroupRowStore.Shift(second, GREATER, T, T_PLUS_1, SMALLER));

        // Placing both again changes nothing: the shifted row is at least as new as its message.
        assertThat(store.place(row(first, GREATER, T)).moved()).isFalse();
        assertThat(store.place(row(first, SMALLER, T)).moved()).isFalse();
        assertThat(rows(first)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
    }

    @Test
    void aRowNeverMovesBackwardsAndItsOlderLeftoversGo() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID owner = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        put(row(owner, group, T));
        put(row(owner, group, EARLIER)); // a leftover of a put whose delete never ran

        GroupRowStore.Placement placement = store.place(row(owner, group, "2026-11-20T08:07:00.000000+00:00"));

        assertThat(placement.moved()).isFalse();
        assertThat(placement.existing()).isEqualTo(2);
        assertThat(placement.deleted()).isEqualTo(1);
        assertThat(rows(owner)).containsExactly(group + "@" + T);
    }

    @Test
    void aDeleteNeverRemovesAnotherGroupsRowNorANewerOne() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID owner = UUID.randomUUID();
        UUID mine = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // The key this group's old row had now holds another group's row.
        put(row(owner, other, EARLIER));
        // This group's row at T, which a stale caller takes for older than T.
        put(row(owner, mine, T));

        assertThat(store.deleteIfOlder(row(owner, mine, EARLIER), T)).isFalse();
        assertThat(store.deleteIfOlder(row(owner, mine, T), T)).isFalse();
        assertThat(store.deleteIfOlder(row(owner, mine, T), EARLIER)).isFalse();
        assertThat(rows(owner)).containsExactly(other + "@" + EARLIER, mine + "@" + T);

        // Moving this group forward deletes only its own older row.
        store.place(row(owner, mine, T_PLUS_1));
        assertThat(rows(owner)).containsExactly(other + "@" + EARLIER, mine + "@" + T_PLUS_1);
    }

    private static GroupRow row(UUID owner, UUID group, String sk) {
        return new GroupRow(owner, sk, group, "text at " + sk, UUID.nameUUIDFromBytes(group.toString().getBytes()),
                "Other", "other");
    }

    private static void put(GroupRow row) {
        dynamoDb.putItem(p -> p.tableName(table).item(row.toItem()));
    }

    /** The owner's group rows as {@code group@sk}, in sk order. */
    private static List<String> rows(UUID owner) {
        return dynamoDb.queryPaginator(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner)))))
                .items().stream().map(GroupRow::fromItem).map(r -> r.messageGroupUuid() + "@" + r.sk()).toList();
    }
}
