package com.cruddur.batch.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Brings the {@code GRP#} rows of each group in a chunk up to the newest record of that group.
 *
 * <p>Records collapse per group first, so a chunk costs requests per group, not per record. A group's owners
 * are its two participants: the record's sender, whose row names the other user; the GSI is asked only when
 * that does not find two rows (no sender in the record, a sender who is no participant, a row missing). Each
 * owner's row is then placed by {@link GroupRowStore}: read consistently on the base table, moved forward only
 * when the record is newer (new row first, then the older ones deleted on the condition that they still hold
 * this group with an older sk), leftovers of a crash between put and delete removed, and a key shared with
 * another group of the owner resolved by placing one row 1 microsecond later. Equal or older records change
 * nothing, so records in any order and multiplicity end in the same state as in order.
 *
 * <p>Groups of a chunk are independent and written by {@code concurrency} threads.
 *
 * <p>Two things learned in earlier chunks save requests in later ones (profile: requests are the cost, in the
 * table and in the client). A group's owners never change: once both rows were found, they are not looked
 * for again. And once both owners' rows of a group were
 * seen at or past an instant (read consistently, or placed there by a conditional put), they stay at or past
 * it, since rows only move forward: an update not newer than that would read both rows only to find them
 * current, so it is counted as current without a request. Both memories hold a bounded number of groups and
 * live as long as the step's writer, so a restart learns them afresh.
 */
public class GroupRowReplayWriter implements ItemWriter<GroupUpdate>, ItemStream {

    /** Missing-row reports printed one per line; the rest are counted in the summary. */
    static final int REPORT_LINES = 20;

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String index;
    private final ReplayCounters counters;
    private final GroupRepair repair;
    private final Console console;
    private final int concurrency;
    private final GroupRowStore store;
    private final AtomicInteger reported = new AtomicInteger();
    /** Group -> the owners of its two rows. */
    private final Map<UUID, List<UUID>> owners = new ConcurrentHashMap<>();
    /** Group -> the instant both its rows were last seen at or past. */
    private final Map<UUID, String> currentAtLeast = new ConcurrentHashMap<>();
    private ExecutorService executor;

    /**
     * @param repair null to only report groups with missing rows
     */
    public GroupRowReplayWriter(DynamoDbClient dynamoDb, String table, String index, ReplayCounters counters,
            GroupRepair repair, Console console, int concurrency) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.index = index;
        this.counters = counters;
        this.repair = repair;
        this.console = console;
        this.concurrency = concurrency;
        this.store = new GroupRowStore(dynamoDb, table);
    }

    @Override
    public void write(Chunk<? extends GroupUpdate> chunk) throws Exception {
        Map<UUID, GroupUpdate> newest = collapse(chunk.getItems());
        // Counted per chunk and added on the step's thread: the step-scoped counters are not reachable
        // from the writer threads.
        ReplayCounters chunkCounts = new ReplayCounters();
        chunkCounts.add(ReplayCounters.GROUP_UPDATES, newest.size());
        writeGroups(newest, chunkCounts);
        // Only a chunk written in full is counted: a failed one is written again by the restart.
        counters.addAll(chunkCounts);
    }

    private void writeGroups(Map<UUID, GroupUpdate> newest, ReplayCounters chunkCounts) throws Exception {
        if (concurrency <= 1 || newest.size() == 1) {
            for (GroupUpdate update : newest.values()) {
                apply(update, chunkCounts);
            }
            return;
        }
        if (executor == null) {
            executor = Executors.newFixedThreadPool(concurrency, r -> {
                Thread thread = new Thread(r, "replay-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
        List<Future<?>> futures = new ArrayList<>();
        for (GroupUpdate update : newest.values()) {
            futures.add(executor.submit(() -> {
                apply(update, chunkCounts);
                return null;
            }));
        }
        Exception first = null;
        for (Future<?> future : futures) {
            try {
                future.get();
            }
            catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The newest record per group, in first-seen order. */
    static Map<UUID, GroupUpdate> collapse(List<? extends GroupUpdate> updates) {
        Map<UUID, GroupUpdate> newest = new LinkedHashMap<>();
        for (GroupUpdate update : updates) {
            newest.merge(update.messageGroupUuid(), update, (a, b) -> b.isNewerThan(a) ? b : a);
        }
        return newest;
    }

    /** One group: move each owner's row forward (or clean up), then check both participants have one. */
    void apply(GroupUpdate update, ReplayCounters counters) {
        UUID group = update.messageGroupUuid();
        String seenAt = currentAtLeast.get(group);
        if (seenAt != null && seenAt.compareTo(update.sk()) >= 0) {
            counters.add(ReplayCounters.ROWS_CURRENT, 2);
            return;
        }
        // Every owner's rows are read consistently on the base table by the store, so a row written moments
        // ago (an earlier chunk) is seen even while the index lags behind. Who the owners are (which never
        // changes) comes from the sender, whose row names the other participant, so a group costs no index
        // query unless the sender is unknown or a row is not where they point.
        Map<UUID, GroupRow> existingByOwner = new LinkedHashMap<>();
        Set<UUID> asked = new HashSet<>();
        List<UUID> known = owners.get(group);
        if (known != null) {
            for (UUID owner : known) {
                move(owner, update, asked, existingByOwner, counters);
            }
        }
        else {
            if (update.sender() != null) {
                GroupRow senders = move(update.sender(), update, asked, existingByOwner, counters);
                if (senders != null && senders.otherUserUuid() != null) {
                    move(senders.otherUserUuid(), update, asked, existingByOwner, counters);
                }
            }
            if (existingByOwner.size() < 2) {
                // No sender, or it or the other participant has no row of the group: the index names every
                // owner that has one.
                for (UUID owner : ownersFromIndex(group)) {
                    move(owner, update, asked, existingByOwner, counters);
                }
            }
        }
        List<GroupRow> existing = List.copyOf(existingByOwner.values());
        if (existing.size() == 2) {
            if (known == null) {
                remember(owners, group, List.copyOf(existingByOwner.keySet()));
            }
            String older = existing.get(0).sk().compareTo(existing.get(1).sk()) <= 0 ? existing.get(0).sk()
                    : existing.get(1).sk();
            remember(currentAtLeast, group, older);
        }
        if (existing.size() < 2) {
            counters.increment(ReplayCounters.GROUPS_MISSING_ROWS);
            String outcome;
            if (repair == null) {
                outcome = "run with repair=true to re-create";
            }
            else {
                GroupUpdate current = update;
                for (GroupRow row : existing) {
                    if (row.sk().compareTo(current.sk()) > 0) {
                        current = new GroupUpdate(row.messageGroupUuid(), row.sk(), row.message(), "row");
                    }
                }
                outcome = repair.recreate(current, existing, counters, this::report);
            }
            if (reported.incrementAndGet() <= REPORT_LINES) {
                console.println("group " + update.messageGroupUuid() + ": " + existing.size()
                        + " of 2 group rows; " + outcome);
            }
        }
    }

    /** Groups remembered at most; beyond, the memory starts over (it only saves requests). */
    static final int REMEMBERED_GROUPS = 20_000;

    private static <V> void remember(Map<UUID, V> memory, UUID group, V value) {
        if (memory.size() >= REMEMBERED_GROUPS) {
            memory.clear();
        }
        memory.put(group, value);
    }

    /** Rows placed 1 microsecond later because another group of the owner ends at the same instant. */
    void report(List<GroupRowStore.Shift> shifts, ReplayCounters counters) {
        for (GroupRowStore.Shift shift : shifts) {
            counters.increment(ReplayCounters.KEY_COLLISIONS);
            console.println("group " + shift.group() + ": key GRP#" + shift.owner() + " " + shift.wantedSk()
                    + " is kept by group " + shift.holder() + "; row placed at " + shift.placedSk());
        }
    }

    /**
     * Moves {@code owner}'s row of the group to the update, once per owner and update; returns the row the owner
     * now has, or null when the owner has none (or was asked already).
     */
    private GroupRow move(UUID owner, GroupUpdate update, Set<UUID> asked, Map<UUID, GroupRow> existing,
            ReplayCounters counters) {
        if (!asked.add(owner)) {
            return null;
        }
        GroupRowStore.Placement placement = store.moveIfPresent(owner, update.messageGroupUuid(), update.sk(),
                update.message());
        if (placement == null) {
            return null; // missing, see apply
        }
        counters.increment(placement.moved() ? ReplayCounters.ROWS_MOVED : ReplayCounters.ROWS_CURRENT);
        counters.add(ReplayCounters.LEFTOVERS_DELETED, placement.existing() - 1);
        report(placement.shifts(), counters);
        existing.put(owner, placement.row());
        return placement.row();
    }

    /** The owners of the group's rows through the sparse GSI, all pages (eventually consistent: only who). */
    List<UUID> ownersFromIndex(UUID group) {
        Set<UUID> found = new LinkedHashSet<>();
        dynamoDb.queryPaginator(q -> q.tableName(table).indexName(index)
                .keyConditionExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(group.toString()))))
                .items().forEach(item -> found.add(GroupRow.fromItem(item).ownerUserUuid()));
        return List.copyOf(found);
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
