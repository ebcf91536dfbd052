package com.cruddur.batch.seed;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The group of a sender/receiver pair when the CSV leaves it empty: the pair's existing group (a
 * {@code GRP#<sender>} row whose {@code user_uuid} is the receiver), else a name-based UUID of the
 * two user uuids, so every run, restart and direction of the pair finds the same group. Cached per pair.
 */
public class GroupResolver {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Map<String, UUID> byPair = new HashMap<>();

    public GroupResolver(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    public synchronized UUID groupOf(Participant sender, Participant receiver) {
        return byPair.computeIfAbsent(pairKey(sender.uuid(), receiver.uuid()), key -> existing(sender, receiver)
                .orElseGet(() -> newGroupUuid(sender.uuid(), receiver.uuid())));
    }

    private java.util.Optional<UUID> existing(Participant sender, Participant receiver) {
        return dynamoDb.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(sender.uuid())))))
                .items().stream()
                .filter(item -> item.containsKey(MessageKeys.MESSAGE_GROUP_UUID))
                .map(GroupRow::fromItem)
                .filter(row -> receiver.uuid().equals(row.otherUserUuid()))
                .map(GroupRow::messageGroupUuid)
                .findFirst();
    }

    static UUID newGroupUuid(UUID a, UUID b) {
        return UUID.nameUUIDFromBytes(("cruddur-seed-group:" + pairKey(a, b)).getBytes(StandardCharsets.UTF_8));
    }

    private static String pairKey(UUID a, UUID b) {
        return a.compareTo(b) <= 0 ? a + "|" + b : b + "|" + a;
    }
}
