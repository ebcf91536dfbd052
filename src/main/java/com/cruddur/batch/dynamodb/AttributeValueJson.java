package com.cruddur.batch.dynamodb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * DynamoDB JSON ({@code {"S":"x"}}, {@code {"M":{...}}}, ...) as found in stream records, Lambda events
 * and export files, to SDK {@link AttributeValue}s. Throws {@link IllegalArgumentException} with the
 * attribute's name when a value has no known type, so a bad line can be rejected with a reason.
 */
public final class AttributeValueJson {

    private AttributeValueJson() {
    }

    /** An item or key map; null when the node is missing or JSON null. */
    public static Map<String, AttributeValue> item(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("expected an object of attributes, got " + node.getNodeType());
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (var entry : node.properties()) {
            item.put(entry.getKey(), value(entry.getKey(), entry.getValue()));
        }
        return item;
    }

    public static AttributeValue value(String name, JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("attribute '" + name + "' is not a typed DynamoDB value");
        }
        var entry = node.properties().iterator().next();
        JsonNode v = entry.getValue();
        return switch (entry.getKey()) {
            case "S" -> AttributeValue.fromS(v.asString());
            case "N" -> AttributeValue.fromN(v.asString());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode(v.asString())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(strings(v));
            case "NS" -> AttributeValue.fromNs(strings(v));
            case "BS" -> AttributeValue.fromBs(strings(v).stream()
                    .map(b -> SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode(b))).toList());
            case "M" -> AttributeValue.fromM(item(v));
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                for (JsonNode element : v) {
                    list.add(value(name, element));
                }
                yield AttributeValue.fromL(list);
            }
            default -> throw new IllegalArgumentException(
                    "attribute '" + name + "' has unknown type '" + entry.getKey() + "'");
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : array) {
            values.add(element.asString());
        }
        return values;
    }
}
