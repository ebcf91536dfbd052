package com.cruddur.batch.dynamodb;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;

/**
 * DynamoDB JSON, the typed form the DynamoDB API, AWS's Export to S3 and ImportTable use:
 * {@code {"pk":{"S":"GRP#..."},"n":{"N":"1.5"},"b":{"B":"<base64>"},"l":{"L":[...]},...}}. Numbers stay
 * strings (no precision lost), binary is base64, sets keep their set type. The SDK has no public
 * converter for this form, so it is written and parsed here with Jackson's streaming API: from text
 * (exports, restart state) and from an already parsed tree (stream records, Lambda events). Bad values
 * throw {@link IllegalArgumentException} naming the attribute, so a record can be rejected with a reason.
 */
public final class DynamoDbJson {

    private static final JsonFactory JSON = new JsonFactory();

    private DynamoDbJson() {
    }

    /** {@code {"Item":{...}}}, one line of an AWS DynamoDB JSON export. */
    public static String toExportLine(Map<String, AttributeValue> item) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeName("Item");
            writeItem(json, item);
            json.writeEndObject();
        }
        return out.toString();
    }

    /** The item of one export line; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Map<String, AttributeValue> fromExportLine(String line) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), line)) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "a JSON object");
            Map<String, AttributeValue> item = null;
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                json.nextToken();
                if ("Item".equals(name)) {
                    item = readItem(json);
                }
                else {
                    json.skipChildren();
                }
            }
            if (item == null) {
                throw new IllegalArgumentException("no \"Item\" property");
            }
            if (json.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object");
            }
            return item;
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException(notValidJson(e));
        }
    }

    /**
     * Where a text is not valid JSON, without Jackson's own message: that quotes the offending token, which
     * may be part of a message text or an e-mail, and would reach reason lines and logs. The cause is left
     * off for the same reason.
     */
    public static String notValidJson(JacksonException e) {
        return "not valid JSON" + column(e);
    }

    /** {@code " at column N"} of a parse error, or empty when Jackson does not know it. */
    public static String column(JacksonException e) {
        TokenStreamLocation at = e.getLocation();
        return at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
    }

    /** A bare item or key, {@code {"pk":{"S":"..."},...}} (restart state uses this). */
    public static String toJson(Map<String, AttributeValue> item) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeItem(json, item);
        }
        return out.toString();
    }

    public static Map<String, AttributeValue> fromJson(String text) {
        try (JsonParser json = JSON.createParser(ObjectReadContext.empty(), text)) {
            json.nextToken();
            return readItem(json);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException(notValidJson(e));
        }
    }

    /**
     * An item or key already parsed into a tree, as in stream records and Lambda events; null when the
     * node is missing or JSON null. Read with the same parser as text, so the same errors.
     */
    public static Map<String, AttributeValue> fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try (JsonParser json = node.traverse(ObjectReadContext.empty())) {
            json.nextToken();
            return readItem(json);
        }
    }

    /** Writes one item as a DynamoDB-JSON object to a generator the caller owns (streaming writers). */
    public static void writeItem(JsonGenerator json, Map<String, AttributeValue> item) {
        json.writeStartObject();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            json.writeName(attribute.getKey());
            writeValue(json, attribute.getValue());
        }
        json.writeEndObject();
    }

    private static void writeValue(JsonGenerator json, AttributeValue value) {
        json.writeStartObject();
        switch (value.type()) {
            case S -> json.writeStringProperty("S", value.s());
            case N -> json.writeStringProperty("N", value.n());
            case B -> json.writeStringProperty("B", base64(value.b()));
            case BOOL -> json.writeBooleanProperty("BOOL", value.bool());
            case NUL -> json.writeBooleanProperty("NULL", true);
            case SS -> writeStrings(json, "SS", value.ss());
            case NS -> writeStrings(json, "NS", value.ns());
            case BS -> writeStrings(json, "BS", value.bs().stream().map(DynamoDbJson::base64).toList());
            case L -> {
                json.writeName("L");
                json.writeStartArray();
                for (AttributeValue element : value.l()) {
                    writeValue(json, element);
                }
                json.writeEndArray();
            }
            case M -> {
                json.writeName("M");
                writeItem(json, value.m());
            }
            default -> throw new IllegalArgumentException("attribute type not supported: " + value.type());
        }
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String type, List<String> values) {
        json.writeName(type);
        json.writeStartArray();
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    private static Map<String, AttributeValue> readItem(JsonParser json) {
        expect(json.currentToken(), JsonToken.START_OBJECT, "an item object");
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = json.currentName();
            json.nextToken();
            item.put(name, readValue(json, name));
        }
        return item;
    }

    private static AttributeValue readValue(JsonParser json, String attribute) {
        expect(json.currentToken(), JsonToken.START_OBJECT, "a typed value for \"" + attribute + "\"");
        if (json.nextToken() != JsonToken.PROPERTY_NAME) {
            throw new IllegalArgumentException("attribute \"" + attribute + "\" has no type");
        }
        String type = json.currentName();
        JsonToken token = json.nextToken();
        AttributeValue value = switch (type) {
            case "S" -> AttributeValue.fromS(scalar(json, token, attribute));
            case "N" -> AttributeValue.fromN(scalar(json, token, attribute));
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(decode(scalar(json, token, attribute), attribute)));
            case "BOOL" -> AttributeValue.fromBool(bool(token, attribute));
            case "NULL" -> AttributeValue.fromNul(bool(token, attribute));
            case "SS" -> AttributeValue.fromSs(strings(json, token, attribute));
            case "NS" -> AttributeValue.fromNs(strings(json, token, attribute));
            case "BS" -> AttributeValue.fromBs(strings(json, token, attribute).stream()
                    .map(s -> SdkBytes.fromByteArray(decode(s, attribute))).toList());
            case "L" -> {
                expect(token, JsonToken.START_ARRAY, "a list for \"" + attribute + "\"");
                List<AttributeValue> list = new ArrayList<>();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(json, attribute));
                }
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(readItem(json));
            default -> throw new IllegalArgumentException("attribute \"" + attribute + "\" has unknown type " + type);
        };
        if (json.nextToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("attribute \"" + attribute + "\" has more than one type");
        }
        return value;
    }

    private static String scalar(JsonParser json, JsonToken token, String attribute) {
        expect(token, JsonToken.VALUE_STRING, "a string for \"" + attribute + "\"");
        return json.getString();
    }

    private static boolean bool(JsonToken token, String attribute) {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new IllegalArgumentException("expected true or false for \"" + attribute + "\"");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static List<String> strings(JsonParser json, JsonToken token, String attribute) {
        expect(token, JsonToken.START_ARRAY, "an array for \"" + attribute + "\"");
        List<String> values = new ArrayList<>();
        while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
            values.add(scalar(json, token, attribute));
        }
        return values;
    }

    private static byte[] decode(String base64, String attribute) {
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute \"" + attribute + "\" is not base64");
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new IllegalArgumentException("expected " + what + ", found " + (actual == null ? "end of line" : actual));
        }
    }
}
