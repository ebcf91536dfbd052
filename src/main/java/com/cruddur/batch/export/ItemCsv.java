package com.cruddur.batch.export;

import static com.cruddur.batch.messages.MessageKeys.MESSAGE;
import static com.cruddur.batch.messages.MessageKeys.MESSAGE_GROUP_UUID;
import static com.cruddur.batch.messages.MessageKeys.MESSAGE_UUID;
import static com.cruddur.batch.messages.MessageKeys.PK;
import static com.cruddur.batch.messages.MessageKeys.SK;
import static com.cruddur.batch.messages.MessageKeys.USER_DISPLAY_NAME;
import static com.cruddur.batch.messages.MessageKeys.USER_HANDLE;
import static com.cruddur.batch.messages.MessageKeys.USER_UUID;

import java.util.List;
import java.util.Map;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The flat CSV form of the table: fixed columns covering both item kinds (a column a kind lacks is
 * empty), quoted as RFC 4180 says: a field with a comma, quote, CR or LF is quoted and its quotes doubled.
 * For reading in a spreadsheet; only the DynamoDB JSON form is imported back.
 */
final class ItemCsv implements LineAggregator<Map<String, AttributeValue>> {

    static final List<String> COLUMNS = List.of(PK, SK, MESSAGE_GROUP_UUID, MESSAGE_UUID, MESSAGE, USER_UUID,
            USER_DISPLAY_NAME, USER_HANDLE);

    static final String HEADER = "kind," + String.join(",", COLUMNS);

    @Override
    public String aggregate(Map<String, AttributeValue> item) {
        StringBuilder line = new StringBuilder(256);
        AttributeValue pk = item.get(PK);
        String pkText = pk == null ? null : pk.s();
        line.append(MessageKeys.isGroupPk(pkText) ? "group" : MessageKeys.isMessagePk(pkText) ? "message" : "other");
        for (String column : COLUMNS) {
            line.append(',');
            AttributeValue value = item.get(column);
            if (value != null) {
                quote(line, value.s() != null ? value.s() : DynamoDbJson.toJson(Map.of(column, value)));
            }
        }
        return line.toString();
    }

    static void quote(StringBuilder line, String field) {
        boolean needsQuotes = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0;
        if (!needsQuotes) {
            line.append(field);
            return;
        }
        line.append('"').append(field.replace("\"", "\"\"")).append('"');
    }
}
