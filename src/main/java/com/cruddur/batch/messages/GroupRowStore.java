package com.cruddur.batch.messages;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The one way every job writes message-group rows (conversation-seed, message-group-replay and its repair),
 * so that all of them keep the rules for group rows (docs/data-model.md):
 * <ul>
 * <li>an owner's rows of a group are read with a strongly consistent Query of {@code pk = GRP#<owner>} on the
 * base table, never on the eventually consistent GSI, so a row written a moment ago is always seen;</li>
 * <li>a row moves forward only (put the new key, read the owner's rows of the group again, then delete every
 * one older than the newest seen), never back to an older {@code sk};</li>
 * <li>two writers of one group (remote workers, parallel partitions) may interleave: each reads the rows again
 * after its put, so the writer whose put completes last sees both new rows and deletes the older one (the row
 * it has just written too, when a newer one is there). That costs one more consistent Query per moved row;</li>
 * <li>a put succeeds only when its key is free or holds the same group; a delete only when the key still
 * holds the same group with an older {@code sk}: no job removes another group's row or a newer one;</li>
 * <li>two groups of one owner whose newest messages share an instant would share a key. Neither vanishes:
 * at a shared instant the group whose uuid sorts first (as text) holds the exact {@code sk}, the other is placed
 * 1 microsecond later (again, until free), whatever order they are written in. Every such shift is
 * returned to the caller, which reports it.</li>
 * </ul>
 * Per-item conditional requests (BatchWriteItem has no conditions); there are two rows per group.
 */
public class GroupRowStore {

    /** How far a row may be pushed by other groups sharing its instant before the store gives up. */
    static final int MAX_SHIFTS = 1000;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public GroupRowStore(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** A row placed 1 microsecond after {@code wantedSk} because {@code holder}'s row holds (or keeps) that key. */
    public record Shift(UUID owner, UUID group, String wantedSk, String placedSk, UUID holder) {
    }

    /**
     * What {@link #place} did for one owner's row of one group.
     *
     * @param row      the row the owner now has for the group: as written, or the newer one kept (already
     *                 there, or written meanwhile by another writer of the group)
     * @param moved    whether a row was written; false when an equal or newer row was already there
     * @param existing how many rows of the group the owner had before (more than one after a crash between
     *                 a put and its delete)
     * @param deleted  how many older rows of the group were deleted (read before the put, or after it: a
     *                 concurrent writer's older row, or the one just written when a newer one is there)
     * @param shifts   rows (this one, or another group's row it displaced) placed later to keep both
     */
    public record Placement(GroupRow row, boolean moved, int existing, int deleted, List<Shift> shifts) {
    }

    /** The owner's rows of one group, newest first, read consistently from the base table. */
    public List<GroupRow> rowsOf(UUID owner, UUID group) {
        List<GroupRow> rows = new ArrayList<>();
        // A user has few groups; the filter keeps the answer small, the read stays consistent.
        dynamoDb.queryPaginator(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .filterExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner)),
                        ":g", AttributeValue.fromS(group.toString()))))
                .items().forEach(item -> rows.add(GroupRow.fromItem(item)));
        rows.sort(Comparator.comparing(GroupRow::sk).reversed());
        return rows;
    }

    /**
     * Brings the owner's row of {@code row}'s group to {@code row.sk()} unless it is already there or newer,
     * then deletes the group's older rows of that owner. Idempotent: running it again changes nothing.
     */
    public Placement place(GroupRow row) {
        return place(row, rowsOf(row.ownerUserUuid(), row.messageGroupUuid()));
    }

    /**
     * As {@link #place}, for an owner who has a row of the group: null, and nothing written, when the owner
     * has none (creating one is repair's decision).
     */
    public Placement moveIfPresent(GroupRow row) {
        List<GroupRow> existing = rowsOf(row.ownerUserUuid(), row.messageGroupUuid());
        return existing.isEmpty() ? null : place(row, existing);
    }

    /**
     * As {@link #moveIfPresent(GroupRow)} for the owner's row of {@code group}, the row to write being the owner's
     * newest row of the group moved to {@code sk}/{@code message}: for a caller that knows who the owner is but not
     * what the row holds.
     */
    public Placement moveIfPresent(UUID owner, UUID group, String sk, String message) {
        List<GroupRow> existing = rowsOf(owner, group);
        return existing.isEmpty() ? null : place(existing.get(0).withLastMessage(sk, message), existing);
    }

    private Placement place(GroupRow row, List<GroupRow> existing) {
        if (!existing.isEmpty() && existing.get(0).sk().compareTo(row.sk()) >= 0) {
            // Nothing written, so no second row of ours to race with: the read before is enough, and an owner
            // whose row is current costs no second Query.
            GroupRow kept = existing.get(0);
            int deleted = deleteOlder(existing.subList(1, existing.size()), kept.sk());
            return new Placement(kept, false, existing.size(), deleted, List.of());
        }
        List<Shift> shifts = new ArrayList<>();
        GroupRow written = putAt(row, shifts);
        // Read again, not the rows read before the put: another writer of the group may have put its row in
        // between, and of two interleaved writers only the one whose put completed last sees both.
        List<GroupRow> now = rowsOf(row.ownerUserUuid(), row.messageGroupUuid());
        if (now.isEmpty()) {
            return new Placement(written, true, existing.size(), 0, shifts); // gone since: not for us to undo
        }
        GroupRow newest = now.get(0);
        return new Placement(newest, true, existing.size(), deleteOlder(now.subList(1, now.size()), newest.sk()),
                shifts);
    }

    /**
     * Puts the row at its sk or, where another group's row keeps that key, at the first later microsecond
     * free for it. Returns the row as written.
     */
    private GroupRow putAt(GroupRow row, List<Shift> shifts) {
        GroupRow candidate = row;
        for (int attempt = 0; attempt <= MAX_SHIFTS; attempt++) {
            if (putIfFreeOrSameGroup(candidate, null)) {
                return candidate;
            }
            GroupRow holder = get(candidate.ownerUserUuid(), candidate.sk());
            if (holder == null) {
                continue; // deleted in between: try the same key again
            }
            // Compared as text (as users read them), not by UUID.compareTo, which compares signed numbers.
            if (candidate.messageGroupUuid().toString().compareTo(holder.messageGroupUuid().toString()) < 0) {
                // The smaller group uuid keeps the instant: move the holder on (which deletes its row
                // here, unless it has a newer one already), then take the key.
                Placement holderMoved = place(holder.withLastMessage(later(holder.sk()), holder.message()));
                if (holderMoved.moved()) {
                    shifts.add(new Shift(holder.ownerUserUuid(), holder.messageGroupUuid(), holder.sk(),
                            holderMoved.row().sk(), candidate.messageGroupUuid()));
                }
                shifts.addAll(holderMoved.shifts());
                if (putIfFreeOrSameGroup(candidate, holder.messageGroupUuid())) {
                    return candidate;
                }
                continue; // taken again in between: look at the new holder
            }
            GroupRow next = candidate.withLastMessage(later(candidate.sk()), candidate.message());
            shifts.add(new Shift(row.ownerUserUuid(), row.messageGroupUuid(), candidate.sk(), next.sk(),
                    holder.messageGroupUuid()));
            candidate = next;
        }
        throw new IllegalStateException("key GRP#" + row.ownerUserUuid() + " " + row.sk() + ": more than "
                + MAX_SHIFTS + " groups of this owner end within the same millisecond; group "
                + row.messageGroupUuid() + " not placed");
    }

    /**
     * Puts the row if its key is free or holds a row of the same group (or of {@code replacing}, a row
     * that has just been copied 1 microsecond on).
     */
    private boolean putIfFreeOrSameGroup(GroupRow row, UUID replacing) {
        String condition = "attribute_not_exists(pk) OR message_group_uuid = :g"
                + (replacing == null ? "" : " OR message_group_uuid = :r");
        Map<String, AttributeValue> values = replacing == null
                ? Map.of(":g", AttributeValue.fromS(row.messageGroupUuid().toString()))
                : Map.of(":g", AttributeValue.fromS(row.messageGroupUuid().toString()),
                        ":r", AttributeValue.fromS(replacing.toString()));
        try {
            dynamoDb.putItem(p -> p.tableName(table).item(row.toItem()).conditionExpression(condition)
                    .expressionAttributeValues(values));
            return true;
        }
        catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    private GroupRow get(UUID owner, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(owner, sk))).item();
        return item == null || item.isEmpty() || !item.containsKey(MessageKeys.MESSAGE_GROUP_UUID) ? null
                : GroupRow.fromItem(item);
    }

    private int deleteOlder(List<GroupRow> rows, String newerSk) {
        int deleted = 0;
        for (GroupRow old : rows) {
            if (deleteIfOlder(old, newerSk)) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Deletes {@code old}'s key only while it still holds a row of {@code old}'s group with an sk older
     * than {@code newerSk}.
     *
     * @return false when the key is gone, holds another group or a row that is not older
     */
    public boolean deleteIfOlder(GroupRow old, String newerSk) {
        try {
            dynamoDb.deleteItem(d -> d.tableName(table).key(key(old.ownerUserUuid(), old.sk()))
                    .conditionExpression("message_group_uuid = :g AND sk < :newer")
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(old.messageGroupUuid().toString()),
                            ":newer", AttributeValue.fromS(newerSk))));
            return true;
        }
        catch (ConditionalCheckFailedException notOurs) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(UUID owner, String sk) {
        return Map.of(MessageKeys.PK, AttributeValue.fromS(MessageKeys.groupPk(owner)), MessageKeys.SK,
                AttributeValue.fromS(sk));
    }

    /** One microsecond later, in the key format. */
    static String later(String sk) {
        return MessageKeys.formatTime(MessageKeys.parseTime(sk).plus(1, ChronoUnit.MICROS));
    }
}
