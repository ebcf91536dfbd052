package com.cruddur.batch.seed;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.UUID;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import com.cruddur.batch.messages.MessageKeys;

/**
 * Where the rows of an owner who has no group row in the table yet go, worked out in memory so that they can
 * be written with BatchWriteItem instead of a consistent read and a conditional put each. With no row of the
 * owner in the table there is nothing to move forward or delete and no other group's key to respect, so only
 * the rule for two groups of the owner ending at the same instant is left (docs/data-model.md): at a shared
 * instant the group whose uuid sorts first as text keeps it and the others move on 1 microsecond, and again
 * while that key is taken. This is the table {@link GroupRowStore} ends with for the same rows written in any
 * order, and the same shifts are reported.
 */
final class NewOwnerRows {

    /** The owner's rows as they are to be written, and the rows that were moved on to keep them apart. */
    record Plan(List<GroupRow> rows, List<GroupRowStore.Shift> shifts) {
    }

    /** As {@code GroupRowStore}: how far a row may be pushed before the owner is left to the store. */
    static final int MAX_SHIFTS = 1000;

    private static final Comparator<GroupRow> BY_INSTANT_THEN_GROUP = Comparator.comparing(GroupRow::sk)
            .thenComparing(row -> row.messageGroupUuid().toString());

    private NewOwnerRows() {
    }

    /**
     * @param rows one owner's rows, one per group
     * @return the plan, or null when a row would be pushed more than {@value #MAX_SHIFTS} microseconds (the
     *         store then refuses it with its own message)
     */
    static Plan plan(List<GroupRow> rows) {
        // Instants in order, and at each instant the smallest group uuid first: the first row to reach a
        // key keeps it, the others move on to the next microsecond, where they meet the rows that wanted
        // it in the first place.
        PriorityQueue<GroupRow> waiting = new PriorityQueue<>(BY_INSTANT_THEN_GROUP);
        waiting.addAll(rows);
        Map<String, GroupRow> bySk = new HashMap<>();
        Map<UUID, Integer> pushes = new HashMap<>();
        List<GroupRowStore.Shift> shifts = new ArrayList<>();
        while (!waiting.isEmpty()) {
            GroupRow row = waiting.poll();
            GroupRow holder = bySk.putIfAbsent(row.sk(), row);
            if (holder == null) {
                continue;
            }
            if (pushes.merge(row.messageGroupUuid(), 1, Integer::sum) > MAX_SHIFTS) {
                return null;
            }
            GroupRow next = row.withLastMessage(later(row.sk()), row.message());
            shifts.add(new GroupRowStore.Shift(row.ownerUserUuid(), row.messageGroupUuid(), row.sk(), next.sk(),
                    holder.messageGroupUuid()));
            waiting.add(next);
        }
        List<GroupRow> placed = new ArrayList<>(bySk.values());
        placed.sort(BY_INSTANT_THEN_GROUP);
        return new Plan(placed, shifts);
    }

    private static String later(String sk) {
        return MessageKeys.formatTime(MessageKeys.parseTime(sk).plus(1, ChronoUnit.MICROS));
    }
}
