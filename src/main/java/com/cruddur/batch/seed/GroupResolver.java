package com.cruddur.batch.seed;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The group of a sender/receiver pair when the CSV leaves it empty: the pair's existing group (a
 * {@code GRP#<sender>} row whose {@code user_uuid} is the receiver), else a name-based UUID of the
 * two user uuids, so every run, restart and direction of the pair finds the same group. Cached per pair.
 * <p>
 * A new pair costs a consistent query. {@link #lookAhead} starts it on the look-ahead executor as soon as
 * the row is read, so the queries of a chunk's new pairs run several at a time while the chunk is read,
 * instead of one after another while it is processed; {@link #groupOf} then waits for the pair's answer.
 */
public class GroupResolver {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Executor lookAhead;
    private final Map<Pair, CompletableFuture<UUID>> byPair = new ConcurrentHashMap<>();

    /** Two users in uuid order: a pair is the same either way round. Cheaper to hash than its text. */
    private record Pair(UUID low, UUID high) {
        static Pair of(UUID a, UUID b) {
            return a.compareTo(b) <= 0 ? new Pair(a, b) : new Pair(b, a);
        }
    }

    public GroupResolver(DynamoDbClient dynamoDb, String table) {
        this(dynamoDb, table, Runnable::run);
    }

    /** @param lookAhead where {@link #lookAhead} runs the queries of new pairs */
    public GroupResolver(DynamoDbClient dynamoDb, String table, Executor lookAhead) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.lookAhead = lookAhead;
    }

    public UUID groupOf(Participant sender, Participant receiver) {
        Pair pair = Pair.of(sender.uuid(), receiver.uuid());
        CompletableFuture<UUID> group = byPair.get(pair);
        if (group == null) {
            UUID resolved = resolve(sender, receiver);
            group = byPair.computeIfAbsent(pair, key -> CompletableFuture.completedFuture(resolved));
        }
        try {
            return group.join();
        }
        catch (CompletionException e) {
            byPair.remove(pair, group); // a failed query is asked again next time, not remembered
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Starts resolving the pair's group in the background, unless it is known or under way. */
    public void lookAhead(Participant sender, Participant receiver) {
        byPair.computeIfAbsent(Pair.of(sender.uuid(), receiver.uuid()),
                key -> CompletableFuture.supplyAsync(() -> resolve(sender, receiver), lookAhead));
    }

    private UUID resolve(Participant sender, Participant receiver) {
        return existing(sender, receiver).orElseGet(() -> newGroupUuid(sender.uuid(), receiver.uuid()));
    }

    private Optional<UUID> existing(Participant sender, Participant receiver) {
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
