package com.cruddur.batch.seed;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * One conversations.csv row -> its message row. Sender and receiver come from the users table (through
 * {@link UserDirectory}), the group from the row or from the pair ({@link GroupResolver}), the time from
 * {@link SeedTime}. The {@code message_uuid} is a name-based UUID of the row's identity (group, time,
 * sender, text), so the same file and parameters always give the same items.
 */
public class ConversationRowProcessor implements ItemProcessor<CsvLine, MessageRow> {

    public static final List<String> REQUIRED = List.of("message_group_uuid", "sender_handle", "receiver_handle",
            "created_at", "message");

    /** The app refuses longer messages. */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    /** More than a message item's attribute names, keys, time and uuids take (about 250 bytes). */
    private static final long FIXED_ITEM_BYTES_AT_MOST = 1024;

    /** A checked row: the message row and the two people of its group. */
    public record SeedMessage(MessageRow row, Participant sender, Participant receiver) {
    }

    private final UserDirectory users;
    private final GroupResolver groups;
    private final SeededGroups seen;
    private final Instant baseTime;

    /**
     * Sender handle -> receiver handle -> what the rows of that pair with an empty group resolved to. The
     * directory, the resolver and the collected groups keep these answers for the run anyway; remembering
     * them here saves the next rows of a pair (nearly all rows) going through all three.
     */
    private final Map<String, Map<String, KnownPair>> knownPairs = new HashMap<>();

    private record KnownPair(Participant sender, Participant receiver, UUID group) {
    }

    public ConversationRowProcessor(UserDirectory users, GroupResolver groups, Instant baseTime) {
        this(users, groups, baseTime, null);
    }

    /** @param seen where every row's group is recorded, as {@link #groupOf} would find it; may be null */
    public ConversationRowProcessor(UserDirectory users, GroupResolver groups, Instant baseTime, SeededGroups seen) {
        this.users = users;
        this.groups = groups;
        this.baseTime = baseTime;
        this.seen = seen;
    }

    @Override
    public MessageRow process(CsvLine line) {
        return parse(line).row();
    }

    public SeedMessage parse(CsvLine line) {
        String groupText = line.get("message_group_uuid");
        String senderHandle = line.get("sender_handle");
        String receiverHandle = line.get("receiver_handle");
        String createdAt = line.get("created_at");
        // The text is kept as written (the CSV quotes it when it has commas or edge spaces).
        String message = line.fields().readRawString("message");

        Participant sender;
        Participant receiver;
        UUID group;
        KnownPair known = groupText.isEmpty() ? knownPairs.getOrDefault(senderHandle, Map.of()).get(receiverHandle) : null;
        if (known != null) {
            sender = known.sender();
            receiver = known.receiver();
            group = known.group();
        }
        else {
            sender = user(line, "sender_handle", senderHandle);
            receiver = user(line, "receiver_handle", receiverHandle);
            if (sender.uuid().equals(receiver.uuid())) {
                throw new RejectedRowException(line, "receiver_handle: same user as the sender ('" + senderHandle + "')");
            }
            if (groupText.isEmpty()) {
                group = groups.groupOf(sender, receiver);
            }
            else {
                try {
                    group = UUID.fromString(groupText);
                }
                catch (IllegalArgumentException e) {
                    throw new RejectedRowException(line, "message_group_uuid: '" + groupText + "' is not a UUID");
                }
            }
            if (seen != null) {
                // Recorded before the time and text checks, as groupOf (a re-read of the file) would count it.
                seen.add(new GroupSeed(group, sender, receiver));
            }
            if (groupText.isEmpty()) {
                knownPairs.computeIfAbsent(senderHandle, handle -> new HashMap<>()).put(receiverHandle,
                        new KnownPair(sender, receiver, group));
            }
        }
        Instant created;
        try {
            created = createdAt.isEmpty() ? null : SeedTime.parse(createdAt, baseTime);
        }
        catch (SeedTime.OutOfRangeException e) {
            throw new RejectedRowException(line, "created_at: '" + createdAt + "' is " + SeedTime.RANGE);
        }
        if (created == null) {
            throw new RejectedRowException(line, "created_at: '" + createdAt
                    + "' is neither an ISO-8601 instant (2026-03-23T22:42:12Z) nor relative to base-time (+90m, -1d2h)");
        }
        if (message == null || message.isBlank()) {
            throw new RejectedRowException(line, "message: empty");
        }
        int length = message.codePointCount(0, message.length());
        if (length > MAX_MESSAGE_LENGTH) {
            throw new RejectedRowException(line, "message: " + length + " characters; the app allows "
                    + MAX_MESSAGE_LENGTH);
        }
        String sk = MessageKeys.formatTime(created);
        UUID messageUuid = UUID.nameUUIDFromBytes(("cruddur-seed-message:" + group + "|" + sk + "|" + sender.uuid()
                + "|" + message).getBytes(StandardCharsets.UTF_8));
        MessageRow row = new MessageRow(group, sk, messageUuid, message, sender.uuid(), sender.displayName(),
                sender.handle());
        // A char is at most 3 UTF-8 bytes, and the keys, uuids and attribute names take a few hundred: only
        // a row that might be too large is measured exactly (building its item costs as much as writing it).
        long atMost = 3L * ((long) message.length() + sender.displayName().length() + sender.handle().length())
                + FIXED_ITEM_BYTES_AT_MOST;
        long size = atMost <= DynamoDbBatchItemWriter.MAX_ITEM_BYTES ? 0 : DynamoDbBatchItemWriter.itemSize(row.toItem());
        if (size > DynamoDbBatchItemWriter.MAX_ITEM_BYTES) {
            throw new RejectedRowException(line, "item is " + size + " bytes; DynamoDB allows "
                    + DynamoDbBatchItemWriter.MAX_ITEM_BYTES);
        }
        return new SeedMessage(row, sender, receiver);
    }

    /**
     * Only the group of a row and its two people: what step seed-group-rows needs, without the time, text
     * and size checks (a group none of whose rows was written has no newest message, and gets no rows).
     */
    public GroupSeed groupOf(CsvLine line) {
        Participant sender = user(line, "sender_handle", line.get("sender_handle"));
        Participant receiver = user(line, "receiver_handle", line.get("receiver_handle"));
        if (sender.uuid().equals(receiver.uuid())) {
            throw new RejectedRowException(line, "receiver_handle: same user as the sender");
        }
        String groupText = line.get("message_group_uuid");
        try {
            UUID group = groupText.isEmpty() ? groups.groupOf(sender, receiver) : UUID.fromString(groupText);
            return new GroupSeed(group, sender, receiver);
        }
        catch (IllegalArgumentException e) {
            throw new RejectedRowException(line, "message_group_uuid: '" + groupText + "' is not a UUID");
        }
    }

    private Participant user(CsvLine line, String column, String handle) {
        if (handle.isEmpty()) {
            throw new RejectedRowException(line, column + ": empty");
        }
        return users.find(handle).orElseThrow(
                () -> new RejectedRowException(line, column + ": unknown handle '" + handle + "' (not in the users table)"));
    }
}
