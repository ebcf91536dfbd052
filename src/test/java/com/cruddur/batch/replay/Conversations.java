package com.cruddur.batch.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Test data for the replay: groups of two users with messages in time order, the table they live
 * in, their stream records as JSON, and the group rows the table must end with.
 */
final class Conversations {

    static final String INDEX = "message-group-sk-index";

    record User(UUID uuid, String displayName, String handle) {
    }

    record Group(UUID uuid, User a, User b, List<MessageRow> messages) {

        MessageRow newest() {
            return messages.get(messages.size() - 1);
        }
    }

    final List<Group> groups = new ArrayList<>();

    /** {@code groups} groups with {@code messages} messages each, senders alternating. */
    static Conversations generate(long seed, int groups, int messages) {
        Random random = new Random(seed);
        Conversations c = new Conversations();
        Instant start = Instant.parse("2026-03-23T22:00:00Z");
        for (int g = 0; g < groups; g++) {
            User a = user(random, "a" + g);
            User b = user(random, "b" + g);
            UUID group = new UUID(random.nextLong(), random.nextLong());
            List<MessageRow> rows = new ArrayList<>();
            Instant at = start.plusSeconds(g).plusNanos(random.nextInt(1_000_000) * 1000L);
            for (int m = 0; m < messages; m++) {
                at = at.plusSeconds(1 + random.nextInt(3600)).plusNanos(random.nextInt(1_000_000) * 1000L);
                User sender = m % 2 == 0 ? a : b;
                rows.add(new MessageRow(group, MessageKeys.formatTime(at), new UUID(random.nextLong(), random.nextLong()),
                        "message " + m + " of group " + g, sender.uuid(), sender.displayName(), sender.handle()));
            }
            c.groups.add(new Group(group, a, b, rows));
        }
        return c;
    }

    private static User user(Random random, String name) {
        return new User(new UUID(random.nextLong(), random.nextLong()), "User " + name, "user_" + name);
    }

    static String createTable(DynamoDbClient dynamoDb) {
        String table = "replay-" + System.nanoTime();
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, INDEX, null));
        AwsClients.awaitTableActive(dynamoDb, table);
        return table;
    }

    /** Group row of {@code owner} in {@code group} pointing at {@code message}. */
    static GroupRow row(Group group, User owner, MessageRow message) {
        User other = owner == group.a() ? group.b() : group.a();
        return new GroupRow(owner.uuid(), message.sk(), group.uuid(), message.message(), other.uuid(),
                other.displayName(), other.handle());
    }

    /** Both group rows at the given message index of every group. */
    List<GroupRow> groupRowsAt(int messageIndex) {
        List<GroupRow> rows = new ArrayList<>();
        for (Group g : groups) {
            rows.add(row(g, g.a(), g.messages().get(messageIndex)));
            rows.add(row(g, g.b(), g.messages().get(messageIndex)));
        }
        return rows;
    }

    /** What the table must hold when the replay is done: both rows at the newest message. */
    TreeSet<String> expectedGroupRows() {
        TreeSet<String> rows = new TreeSet<>();
        for (Group g : groups) {
            rows.add(describe(row(g, g.a(), g.newest()).toItem()));
            rows.add(describe(row(g, g.b(), g.newest()).toItem()));
        }
        return rows;
    }

    List<MessageRow> allMessages() {
        return groups.stream().flatMap(g -> g.messages().stream()).toList();
    }

    /** Messages in time order across groups, as a stream consumer would see them. */
    List<MessageRow> messagesInOrder() {
        return allMessages().stream().sorted((x, y) -> x.sk().compareTo(y.sk())).toList();
    }

    static void putAll(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamoDb.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }

    /** Every GRP# row of the table, one line each, sorted: what a user would check. */
    static TreeSet<String> groupRows(DynamoDbClient dynamoDb, String table) {
        return dynamoDb.scanPaginator(s -> s.tableName(table)).items().stream()
                .filter(item -> MessageKeys.isGroupPk(item.get(MessageKeys.PK).s()))
                .map(Conversations::describe).collect(Collectors.toCollection(TreeSet::new));
    }

    static String describe(Map<String, AttributeValue> item) {
        Map<String, String> sorted = new java.util.TreeMap<>();
        item.forEach((k, v) -> sorted.put(k, v.s()));
        return sorted.toString();
    }

    /** A DynamoDB Streams record (the Lambda/GetRecords shape) of a message row. */
    static String streamRecord(String eventName, Map<String, AttributeValue> item, long sequence) {
        StringBuilder json = new StringBuilder("{\"eventID\":\"").append(sequence).append("\",\"eventName\":\"")
                .append(eventName).append("\",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",")
                .append("\"awsRegion\":\"us-east-1\",\"dynamodb\":{\"ApproximateCreationDateTime\":1774303332,")
                .append("\"Keys\":").append(attributes(keys(item)));
        if (!eventName.equals("REMOVE")) {
            json.append(",\"NewImage\":").append(attributes(item));
        }
        json.append(",\"SequenceNumber\":\"").append(sequence)
                .append("\",\"SizeBytes\":200,\"StreamViewType\":\"NEW_IMAGE\"}}");
        return json.toString();
    }

    /** A line of a DynamoDB incremental export data file. */
    static String exportLine(Map<String, AttributeValue> item, boolean hadOldImage) {
        return "{\"Metadata\":{\"WriteTimestampMicros\":{\"N\":\"1774303332160498\"}},\"Keys\":"
                + attributes(keys(item)) + ",\"NewImage\":" + attributes(item)
                + (hadOldImage ? ",\"OldImage\":" + attributes(item) : "") + "}";
    }

    static Map<String, AttributeValue> keys(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> keys = new LinkedHashMap<>();
        keys.put(MessageKeys.PK, item.get(MessageKeys.PK));
        keys.put(MessageKeys.SK, item.get(MessageKeys.SK));
        return keys;
    }

    static String attributes(Map<String, AttributeValue> item) {
        return item.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":{\"S\":\"" + e.getValue().s().replace("\"", "\\\"") + "\"}")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
