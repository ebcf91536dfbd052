package com.cruddur.batch.replay;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * What the replay did, by kind, kept across a restart in the step's ExecutionContext as plain numbers
 * ({@code replay.<kind>}). What a chunk counts is pending until its transaction saves the context
 * ({@link #update}) and dropped when the chunk fails ({@link #onChunkError}): its restart reads and
 * processes those records again, so totals after a restart equal a straight run's.
 */
public class ReplayCounters implements ItemStream, ChunkListener<Object, Object> {

    public static final String IGNORED_REMOVE = "ignored-remove";
    public static final String IGNORED_GROUP_ROW = "ignored-group-row";
    public static final String IGNORED_OTHER = "ignored-other";
    public static final String GROUPS_WITHOUT_MESSAGES = "groups-without-messages";
    public static final String GROUP_UPDATES = "group-updates";
    public static final String ROWS_MOVED = "rows-moved";
    public static final String ROWS_CURRENT = "rows-current";
    public static final String LEFTOVERS_DELETED = "leftovers-deleted";
    public static final String GROUPS_MISSING_ROWS = "groups-missing-rows";
    public static final String ROWS_REPAIRED = "rows-repaired";
    public static final String GROUPS_UNREPAIRABLE = "groups-unrepairable";
    public static final String KEY_COLLISIONS = "key-collisions";
    public static final String REJECTED = "rejected";

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pending = new ConcurrentHashMap<>();

    /** The totals kept in several step executions' contexts (the partitions of one replay). */
    public static ReplayCounters sumOf(Iterable<ExecutionContext> contexts) {
        ReplayCounters sum = new ReplayCounters();
        for (ExecutionContext context : contexts) {
            context.entrySet().stream().filter(e -> e.getKey().startsWith("replay."))
                    .forEach(e -> sum.counts.computeIfAbsent(e.getKey().substring("replay.".length()),
                            k -> new AtomicLong()).addAndGet(((Number) e.getValue()).longValue()));
        }
        return sum;
    }

    public void add(String kind, long n) {
        pending.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(n);
    }

    public void increment(String kind) {
        add(kind, 1);
    }

    public void addAll(ReplayCounters other) {
        other.pending.forEach((kind, value) -> add(kind, value.get()));
        other.counts.forEach((kind, value) -> add(kind, value.get()));
    }

    @Override
    public void onChunkError(Exception exception, Chunk<Object> chunk) {
        pending.clear();
    }

    private void commitPending() {
        pending.forEach((kind, value) -> counts.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(value.get()));
        pending.clear();
    }

    public long get(String kind) {
        AtomicLong value = counts.get(kind);
        return value == null ? 0 : value.get();
    }

    @Override
    public void open(ExecutionContext context) {
        counts.clear();
        pending.clear();
        context.entrySet().stream().filter(e -> e.getKey().startsWith("replay."))
                .forEach(e -> counts.put(e.getKey().substring("replay.".length()),
                        new AtomicLong(((Number) e.getValue()).longValue())));
    }

    @Override
    public void update(ExecutionContext context) {
        // Called only for a chunk about to commit (a rolled-back one is not saved): its counts become totals.
        commitPending();
        counts.forEach((kind, value) -> context.putLong("replay." + kind, value.get()));
    }

    @Override
    public String toString() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.get()));
        return String.format(Locale.ROOT, "%s", sorted);
    }
}
