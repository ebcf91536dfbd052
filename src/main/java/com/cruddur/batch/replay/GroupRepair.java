package com.cruddur.batch.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.LinkedHashSet;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.users.UsersTable;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Re-creates missing group rows ({@code repair=true}). The participants come from the remaining row
 * (its owner and its other user) or, with no row left, from the senders of the group's messages;
 * the other participant's display name and handle from the users table, else from their newest
 * message; {@code sk}/{@code message} from the group's newest message row.
 */
public class GroupRepair {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final JdbcTemplate users;
    private final GroupRowStore store;

    public GroupRepair(DynamoDbClient dynamoDb, String table, JdbcTemplate users) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.users = users;
        this.store = new GroupRowStore(dynamoDb, table);
    }

    /**
     * @param current  the group's last message as its rows now show it (the record, or the remaining
     *                 row when that is newer), so repaired and remaining rows agree
     * @param existing the newest remaining row per owner (zero or one)
     * @param counters where to count what was done
     * @param shifts   where rows placed 1 microsecond later are reported
     * @return what was done, for the report line
     */
    String recreate(GroupUpdate current, List<GroupRow> existing, ReplayCounters counters,
            BiConsumer<List<GroupRowStore.Shift>, ReplayCounters> shifts) {
        UUID group = current.messageGroupUuid();
        List<MessageRow> messages = new ArrayList<>();
        dynamoDb.queryPaginator(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.messagePk(group))))
                .scanIndexForward(false).consistentRead(true))
                .items().forEach(item -> messages.add(MessageRow.fromItem(item)));
        Map<UUID, MessageRow> newestBySender = new LinkedHashMap<>();
        messages.forEach(m -> newestBySender.putIfAbsent(m.userUuid(), m));

        Set<UUID> participants = new LinkedHashSet<>();
        if (existing.size() == 1) {
            participants.add(existing.get(0).ownerUserUuid());
            participants.add(existing.get(0).otherUserUuid());
        }
        else {
            participants.addAll(newestBySender.keySet());
        }
        if (participants.size() != 2) {
            counters.increment(ReplayCounters.GROUPS_UNREPAIRABLE);
            return "not repaired: participants unknown (" + participants.size() + " distinct senders)";
        }
        String sk = current.sk();
        String text = current.message();
        List<UUID> both = new ArrayList<>(participants);
        Set<UUID> owners = new LinkedHashSet<>();
        existing.forEach(r -> owners.add(r.ownerUserUuid()));
        int created = 0;
        for (int i = 0; i < 2; i++) {
            UUID owner = both.get(i);
            UUID other = both.get(1 - i);
            if (owners.contains(owner)) {
                continue;
            }
            Optional<String[]> who = user(other).or(() -> Optional.ofNullable(newestBySender.get(other))
                    .map(m -> new String[] { m.userDisplayName(), m.userHandle() }));
            if (who.isEmpty()) {
                counters.increment(ReplayCounters.GROUPS_UNREPAIRABLE);
                return "not repaired: user " + other + " is in neither the users table nor the messages";
            }
            // Placed like every group row: a row the lagging index did not show is found and kept, and a
            // key shared with another group of the owner puts one of the two 1 microsecond later.
            GroupRowStore.Placement placement = store.place(new GroupRow(owner, sk, group, text, other,
                    who.get()[0], who.get()[1]));
            shifts.accept(placement.shifts(), counters);
            if (placement.existing() == 0) {
                created++;
                counters.increment(ReplayCounters.ROWS_REPAIRED);
            }
        }
        return "re-created " + created + (created == 1 ? " row" : " rows");
    }

    private Optional<String[]> user(UUID uuid) {
        List<String[]> rows = users.query("select display_name, handle from " + UsersTable.TABLE + " where uuid = ?",
                (rs, n) -> new String[] { rs.getString(1), rs.getString(2) }, uuid);
        return rows.stream().findFirst();
    }
}
