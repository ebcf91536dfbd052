package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The in-memory placement of a new owner's rows ends with the rows, and reports the shifts, that
 * {@link GroupRowStore} leaves in dynalite for the same rows written one by one, in any order.
 */
class NewOwnerRowsTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final String T = "2026-11-20T08:10:00.000000+00:00";
    private static final String T_PLUS_1 = "2026-11-20T08:10:00.000001+00:00";
    private static final String T_PLUS_2 = "2026-11-20T08:10:00.000002+00:00";
    private static final UUID A = UUID.fromString("0aaaaaaa-0000-4000-8000-000000000001");
    private static final UUID B = UUID.fromString("5bbbbbbb-0000-4000-8000-000000000002");
    // Greater than A and B as text, smaller as signed numbers (UUID.compareTo): the rule compares text.
    private static final UUID C = UUID.fromString("cccccccc-0000-4000-8000-000000000003");
    private static String table;

    @BeforeAll
    static void createTable() {
        table = "new-owner-rows-" + System.nanoTime();
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(dynamoDb, table);
    }

    @Test
    void aRowPushedOnMeetsTheRowsThatWantedTheNextInstantAndTheSmallerGroupKeepsIt() {
        UUID owner = UUID.randomUUID();
        // A and C end at T, B one microsecond later: C loses T to A, then T+1 to B.
        List<GroupRow> rows = List.of(row(owner, C, T), row(owner, B, T_PLUS_1), row(owner, A, T));

        NewOwnerRows.Plan plan = NewOwnerRows.plan(rows);

        assertThat(plan.rows()).extracting(r -> r.messageGroupUuid() + "@" + r.sk())
                .containsExactly(A + "@" + T, B + "@" + T_PLUS_1, C + "@" + T_PLUS_2);
        assertThat(plan.shifts()).containsExactly(new GroupRowStore.Shift(owner, C, T, T_PLUS_1, A),
                new GroupRowStore.Shift(owner, C, T_PLUS_1, T_PLUS_2, B));
        assertThat(plan.rows()).extracting(GroupRow::message).containsExactly("text of " + A, "text of " + B,
                "text of " + C);
        assertSameAsTheStoreInEveryOrder(rows, plan);
    }

    @Test
    void manyGroupsEndingAtFewInstantsEndAsTheStoreLeavesThem() {
        Random random = new Random(7);
        for (int round = 0; round < 5; round++) {
            UUID owner = UUID.randomUUID();
            List<GroupRow> rows = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                rows.add(row(owner, new UUID(random.nextLong(), random.nextLong()),
                        List.of(T, T_PLUS_1, T_PLUS_2).get(random.nextInt(3))));
            }
            NewOwnerRows.Plan plan = NewOwnerRows.plan(rows);
            assertThat(plan.rows()).hasSize(8);
            assertSameAsTheStoreInEveryOrder(rows, plan);
        }
    }

    @Test
    void rowsAtDifferentInstantsAreWrittenAsTheyCome() {
        UUID owner = UUID.randomUUID();
        NewOwnerRows.Plan plan = NewOwnerRows.plan(List.of(row(owner, C, T_PLUS_2), row(owner, A, T)));

        assertThat(plan.rows()).extracting(r -> r.messageGroupUuid() + "@" + r.sk())
                .containsExactly(A + "@" + T, C + "@" + T_PLUS_2);
        assertThat(plan.shifts()).isEmpty();
    }

    /** Three orders of writing the rows through the store, each for its own owner: all end as planned. */
    private static void assertSameAsTheStoreInEveryOrder(List<GroupRow> rows, NewOwnerRows.Plan plan) {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        List<String> planned = plan.rows().stream().map(r -> r.messageGroupUuid() + "@" + r.sk() + " " + r.message())
                .toList();
        for (int order = 0; order < 3; order++) {
            UUID owner = UUID.randomUUID();
            List<GroupRow> mine = new ArrayList<>(rows.stream().map(r -> new GroupRow(owner, r.sk(),
                    r.messageGroupUuid(), r.message(), r.otherUserUuid(), r.otherDisplayName(), r.otherHandle()))
                    .toList());
            if (order == 1) {
                Collections.reverse(mine);
            }
            else if (order == 2) {
                Collections.shuffle(mine, new Random(order));
            }
            long shifts = 0;
            for (GroupRow row : mine) {
                shifts += store.place(row).shifts().size();
            }
            assertThat(stored(owner)).as("order %d", order).containsExactlyElementsOf(planned);
            assertThat(shifts).as("shifts reported, order %d", order).isEqualTo(plan.shifts().size());
        }
    }

    private static List<String> stored(UUID owner) {
        return dynamoDb.query(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner)))))
                .items().stream().map(GroupRow::fromItem)
                .map(r -> r.messageGroupUuid() + "@" + r.sk() + " " + r.message()).toList();
    }

    private static GroupRow row(UUID owner, UUID group, String sk) {
        return new GroupRow(owner, sk, group, "text of " + group, UUID.randomUUID(), "Other", "other");
    }
}
