package com.cruddur.batch.messages;

import static com.cruddur.batch.messages.MessageKeys.MESSAGE;
import static com.cruddur.batch.messages.MessageKeys.MESSAGE_UUID;
import static com.cruddur.batch.messages.MessageKeys.PK;
import static com.cruddur.batch.messages.MessageKeys.SK;
import static com.cruddur.batch.messages.MessageKeys.USER_DISPLAY_NAME;
import static com.cruddur.batch.messages.MessageKeys.USER_HANDLE;
import static com.cruddur.batch.messages.MessageKeys.USER_UUID;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A message row: {@code pk = MSG#<group>}, {@code sk = created_at}; the user fields describe the SENDER.
 *
 * @param sk the created_at in {@link MessageKeys#SK_TIME} format, kept as the exact stored string
 */
public record MessageRow(UUID messageGroupUuid, String sk, UUID messageUuid, String message, UUID userUuid,
        String userDisplayName, String userHandle) {

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, s(MessageKeys.messagePk(messageGroupUuid)));
        item.put(SK, s(sk));
        item.put(MESSAGE_UUID, s(messageUuid.toString()));
        item.put(MESSAGE, s(message));
        item.put(USER_UUID, s(userUuid.toString()));
        item.put(USER_DISPLAY_NAME, s(userDisplayName));
        item.put(USER_HANDLE, s(userHandle));
        return item;
    }

    public static MessageRow fromItem(Map<String, AttributeValue> item) {
        return new MessageRow(MessageKeys.uuidOf(str(item, PK)), str(item, SK), uuid(item, MESSAGE_UUID),
                str(item, MESSAGE), uuid(item, USER_UUID), str(item, USER_DISPLAY_NAME), str(item, USER_HANDLE));
    }

    static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static UUID uuid(Map<String, AttributeValue> item, String name) {
        String value = str(item, name);
        return value == null ? null : UUID.fromString(value);
    }
}
