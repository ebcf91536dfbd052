package com.cruddur.batch.replay;

import java.util.List;
import java.util.Map;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.messages.MessageKeys;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * The JSON shapes a change record comes in, all to {@link ChangeRecord}:
 * <ul>
 * <li>a DynamoDB Streams / Lambda record: {@code {"eventName":..,"dynamodb":{"Keys":..,"NewImage":..}}}</li>
 * <li>a line of an incremental export: {@code {"Metadata":..,"Keys":..,"NewImage":..,"OldImage":..}}
 * (no event name: NewImage without OldImage is an INSERT, both a MODIFY, no NewImage a REMOVE)</li>
 * <li>a line of a full export: {@code {"Item":..}} (an INSERT of that item)</li>
 * </ul>
 */
final class ChangeRecordJson {

    private ChangeRecordJson() {
    }

    /** True for a Lambda event document, whose records are under {@code Records}. */
    static boolean isEvent(JsonNode node) {
        return node.isObject() && node.has("Records");
    }

    static List<JsonNode> eventRecords(JsonNode event) {
        JsonNode records = event.get("Records");
        if (!records.isArray()) {
            throw new IllegalArgumentException("'Records' is not an array");
        }
        return records.valueStream().toList();
    }

    /** @throws IllegalArgumentException saying what is wrong with the record */
    static ChangeRecord parse(String source, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (node.has("dynamodb")) {
            JsonNode image = node.get("dynamodb");
            String eventName = node.path("eventName").asString(null);
            if (eventName == null) {
                throw new IllegalArgumentException("stream record without eventName");
            }
            return new ChangeRecord(source, eventName, keys(image.get("Keys")),
                    DynamoDbJson.fromJson(image.get("NewImage")));
        }
        if (node.has("Keys")) {
            Map<String, AttributeValue> newImage = DynamoDbJson.fromJson(node.get("NewImage"));
            boolean hadOld = node.hasNonNull("OldImage");
            String eventName = newImage == null ? "REMOVE" : hadOld ? "MODIFY" : "INSERT";
            return new ChangeRecord(source, eventName, keys(node.get("Keys")), newImage);
        }
        if (node.has("Item")) {
            Map<String, AttributeValue> item = DynamoDbJson.fromJson(node.get("Item"));
            Map<String, AttributeValue> keys = new java.util.LinkedHashMap<>();
            if (item.containsKey(MessageKeys.PK)) {
                keys.put(MessageKeys.PK, item.get(MessageKeys.PK));
            }
            if (item.containsKey(MessageKeys.SK)) {
                keys.put(MessageKeys.SK, item.get(MessageKeys.SK));
            }
            return new ChangeRecord(source, "INSERT", keys(keys), item);
        }
        throw new IllegalArgumentException("record without keys (no 'dynamodb', 'Keys' or 'Item')");
    }

    private static Map<String, AttributeValue> keys(JsonNode node) {
        return keys(DynamoDbJson.fromJson(node));
    }

    private static Map<String, AttributeValue> keys(Map<String, AttributeValue> keys) {
        if (keys == null || keys.get(MessageKeys.PK) == null || keys.get(MessageKeys.PK).s() == null
                || keys.get(MessageKeys.SK) == null || keys.get(MessageKeys.SK).s() == null) {
            throw new IllegalArgumentException("record without keys (pk and sk as strings)");
        }
        return keys;
    }
}
