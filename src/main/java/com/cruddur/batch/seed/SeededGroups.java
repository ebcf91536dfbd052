package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The distinct groups of the conversations CSV, collected by step {@code seed-messages} as it processes
 * each row (one entry per group, not per row), so that step {@code seed-group-rows} of the same run need not
 * read the whole file again. Usable only when that step read the file from its first line to its last in
 * this process; after a restart of it, {@link SeededGroupsReader} reads the file again, and gets the same
 * list: the same rows count (those whose people and group resolve), in the same group-uuid order.
 */
public class SeededGroups {

    private final TreeMap<UUID, GroupSeed> byUuid = new TreeMap<>();
    private boolean fromFirstLine;
    private boolean complete;

    synchronized void add(GroupSeed group) {
        byUuid.putIfAbsent(group.messageGroupUuid(), group);
    }

    /** Called when seed-messages starts: collecting counts only if it starts at the first line. */
    synchronized void stepStarted(boolean fromFirstLine) {
        this.fromFirstLine = fromFirstLine;
        this.complete = false;
        byUuid.clear();
    }

    /** Called when seed-messages ends. */
    synchronized void stepEnded(boolean completed) {
        complete = completed && fromFirstLine;
    }

    /** Every group of the file in group-uuid order, or null when they were not all seen in this process. */
    synchronized List<GroupSeed> all() {
        return complete ? new ArrayList<>(byUuid.values()) : null;
    }
}
