package com.cruddur.batch.messages;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Key formats and attribute names of the messages table (docs/data-model.md), in one place: the app
 * parses what these produce.
 */
public final class MessageKeys {

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String MESSAGE_GROUP_UUID = "message_group_uuid";
    public static final String MESSAGE_UUID = "message_uuid";
    public static final String MESSAGE = "message";
    public static final String USER_UUID = "user_uuid";
    public static final String USER_DISPLAY_NAME = "user_display_name";
    public static final String USER_HANDLE = "user_handle";

    public static final String GROUP_PREFIX = "GRP#";
    public static final String MESSAGE_PREFIX = "MSG#";

    /**
     * UTC, microseconds, explicit offset, fixed width: string order is time order, and the app's
     * {@code %Y-%m-%dT%H:%M:%S.%f%z} reads it. E.g. {@code 2026-03-23T22:42:12.160498+00:00}.
     */
    public static final DateTimeFormatter SK_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    private MessageKeys() {
    }

    /** Partition key of a user's message-group rows. */
    public static String groupPk(UUID ownerUserUuid) {
        return GROUP_PREFIX + ownerUserUuid;
    }

    /** Partition key of a group's message rows. */
    public static String messagePk(UUID messageGroupUuid) {
        return MESSAGE_PREFIX + messageGroupUuid;
    }

    public static String formatTime(Instant instant) {
        return SK_TIME.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    public static Instant parseTime(String sk) {
        return SK_TIME.parse(sk, Instant::from);
    }

    public static boolean isGroupPk(String pk) {
        return pk != null && pk.startsWith(GROUP_PREFIX);
    }

    public static boolean isMessagePk(String pk) {
        return pk != null && pk.startsWith(MESSAGE_PREFIX);
    }

    /** The UUID after the {@code GRP#}/{@code MSG#} prefix. */
    public static UUID uuidOf(String pk) {
        return UUID.fromString(pk.substring(pk.indexOf('#') + 1));
    }
}
