package com.cruddur.batch.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Messages tables in dynalite, filled through the plain SDK, and the reading back of export files. */
final class TestTables {

    static final Instant T0 = Instant.parse("2025-12-31T23:59:00Z");

    private TestTables() {
    }

    static String create(DynamoDbClient dynamoDb, String prefix) {
        String table = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(dynamoDb, table);
        return table;
    }

    static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** A conversation of two users: two group rows and {@code messages} message rows a minute apart. */
    static List<Map<String, AttributeValue>> conversation(String name, int messages, int textLength) {
        UUID group = uuid("group-" + name);
        UUID alice = uuid("alice-" + name);
        UUID bob = uuid("bob-" + name);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        String last = null;
        String lastText = null;
        for (int i = 0; i < messages; i++) {
            boolean fromAlice = i % 2 == 0;
            last = MessageKeys.formatTime(T0.plusSeconds(60L * i));
            lastText = text(name + " #" + i + " ", textLength);
            items.add(new MessageRow(group, last, uuid(name + "-m" + i), lastText, fromAlice ? alice : bob,
                    fromAlice ? "Alice " + name : "Bob " + name, fromAlice ? "alice" + name : "bob" + name).toItem());
        }
        items.add(new GroupRow(alice, last, group, lastText, bob, "Bob " + name, "bob" + name).toItem());
        items.add(new GroupRow(bob, last, group, lastText, alice, "Alice " + name, "alice" + name).toItem());
        return items;
    }

    static String text(String prefix, int length) {
        StringBuilder text = new StringBuilder(prefix);
        while (text.length() < length) {
            text.append("lorem ipsum dolor sit amet, ");
        }
        return text.substring(0, Math.max(prefix.length(), length));
    }

    /** Items with every attribute type and awkward strings, for the round trip. */
    static List<Map<String, AttributeValue>> oddItems() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> a = new HashMap<>();
        a.put("pk", AttributeValue.fromS("ODD#unicode"));
        a.put("sk", AttributeValue.fromS("𝄞 ünïcödé — 中文 — עברית — 🙂👍🏽 — e\u0301"));
        a.put("message", AttributeValue.fromS("quotes \" and \\ backslash,\ncomma, new line\r\ttab \u0001 control"));
        a.put("n", AttributeValue.fromN("-12345678901234567890.123456789"));
        a.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff, 10, 13})));
        a.put("t", AttributeValue.fromBool(true));
        a.put("z", AttributeValue.fromNul(true));
        a.put("ss", AttributeValue.fromSs(List.of("x", "y,z", "🙂")));
        a.put("ns", AttributeValue.fromNs(List.of("1", "2.5", "-3e10")));
        a.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {1}),
                SdkBytes.fromByteArray(new byte[] {2, 3}))));
        a.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("one"), AttributeValue.fromN("2"),
                AttributeValue.fromM(Map.of("deep", AttributeValue.fromL(List.of(AttributeValue.fromBool(false))))))));
        a.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"), "empty", AttributeValue.fromL(List.of()))));
        items.add(a);
        items.add(Map.of("pk", AttributeValue.fromS("ODD#plain"), "sk", AttributeValue.fromS(""
                + "x".repeat(1000))));
        return items;
    }

    static void put(DynamoDbClient dynamoDb, String table, List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(items.size(), from + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(p -> p.item(item)).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> request = pending;
                Map<String, List<WriteRequest>> unprocessed = dynamoDb.batchWriteItem(r -> r.requestItems(
                        request)).unprocessedItems();
                pending = unprocessed == null ? Map.of() : unprocessed;
            }
        }
    }

    static List<Map<String, AttributeValue>> scanAll(DynamoDbClient dynamoDb, String table) {
        return dynamoDb.scanPaginator(r -> r.tableName(table)).items().stream().toList();
    }

    /** Every line of the export's data files, parsed, in file order. */
    static List<Map<String, AttributeValue>> exportedItems(Path dir) throws IOException {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        try (var files = Files.list(dir.resolve("data"))) {
            for (Path file : files.sorted().toList()) {
                for (String line : lines(file)) {
                    items.add(DynamoDbJson.fromExportLine(line));
                }
            }
        }
        return items;
    }

    static List<String> lines(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }

    /** Items as comparable text (DynamoDB JSON with attributes in name order). */
    static List<String> canonical(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> DynamoDbJson.toJson(new java.util.TreeMap<>(item))).sorted().toList();
    }
}
