package com.cruddur.batch.messages;

import static com.cruddur.batch.messages.MessageKeys.MESSAGE;
import static com.cruddur.batch.messages.MessageKeys.MESSAGE_GROUP_UUID;
import static com.cruddur.batch.messages.MessageKeys.PK;
import static com.cruddur.batch.messages.MessageKeys.SK;
import static com.cruddur.batch.messages.MessageKeys.USER_DISPLAY_NAME;
import static com.cruddur.batch.messages.MessageKeys.USER_HANDLE;
import static com.cruddur.batch.messages.MessageKeys.USER_UUID;
import static com.cruddur.batch.messages.MessageRow.s;
import static com.cruddur.batch.messages.MessageRow.str;
import static com.cruddur.batch.messages.MessageRow.uuid;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A message-group row, one per participant: {@code pk = GRP#<owner>}, {@code sk} = time of the group's
 * last message, {@code message} = its text; the user fields describe the OTHER participant. Only these
 * rows carry {@code message_group_uuid}, which makes the GSI sparse.
 */
public record GroupRow(UUID ownerUserUuid, String sk, UUID messageGroupUuid, String message, UUID otherUserUuid,
        String otherDisplayName, String otherHandle) {

    public Map<String, AttributeValue> toItem() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(PK, s(MessageKeys.groupPk(ownerUserUuid)));
        item.put(SK, s(sk));
        item.put(MESSAGE_GROUP_UUID, s(messageGroupUuid.toString()));
        item.put(MESSAGE, s(message));
        item.put(USER_UUID, s(otherUserUuid.toString()));
        item.put(USER_DISPLAY_NAME, s(otherDisplayName));
        item.put(USER_HANDLE, s(otherHandle));
        return item;
    }

    public static GroupRow fromItem(Map<String, AttributeValue> item) {
        return new GroupRow(MessageKeys.uuidOf(str(item, PK)), str(item, SK), uuid(item, MESSAGE_GROUP_UUID),
                str(item, MESSAGE), uuid(item, USER_UUID), str(item, USER_DISPLAY_NAME), str(item, USER_HANDLE));
    }

    /** The same row moved to a newer last message. */
    public GroupRow withLastMessage(String newSk, String newMessage) {
        return new GroupRow(ownerUserUuid, newSk, messageGroupUuid, newMessage, otherUserUuid, otherDisplayName,
                otherHandle);
    }
}
