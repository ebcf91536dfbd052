package com.cruddur.batch.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.launch.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Brings the {@code GRP#} rows of each group in a chunk up to the newest record of that group.
 *
 * <p>Records collapse per group first, so a chunk costs one GSI query per group, not per record. Per
 * owner, the newest existing row moves forward only when the record is newer than its {@code sk}: the
 * new row is written FIRST, then the old one deleted on the condition that it is still a row of this
 * group. A crash in between leaves two rows for that owner, never none; the next run sees both and
 * deletes every row but the newest (also when the record is not newer). Equal or older records change
 * nothing, so records in any order and multiplicity end in the same state as in order.
 *
 * <p>Groups of a chunk are independent and written by {@code concurrency} threads.
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
    private final AtomicInteger reported = new AtomicInteger();
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
    }

    @Override
    public void write(Chunk<? extends GroupUpdate> chunk) throws Exception {
        Map<UUID, GroupUpdate> newest = collapse(chunk.getItems());
        // Counted per chunk and added on the step's thread: the step-scoped counters are not reachable
        // from the writer threads.
        ReplayCounters chunkCounts = new ReplayCounters();
        chunkCounts.add(ReplayCounters.GROUP_UPDATES, newest.size());
        try {
            writeGroups(newest, chunkCounts);
        }
        finally {
            counters.addAll(chunkCounts);
        }
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
        Map<UUID, List<GroupRow>> byOwner = new LinkedHashMap<>();
        for (GroupRow row : groupRows(update.messageGroupUuid())) {
            byOwner.computeIfAbsent(row.ownerUserUuid(), o -> new ArrayList<>()).add(row);
        }
        for (List<GroupRow> rows : byOwner.values()) {
            rows.sort(Comparator.comparing(GroupRow::sk).reversed());
            moveForward(update, rows, counters);
        }
        if (byOwner.size() < 2) {
            List<GroupRow> existing = byOwner.values().stream().map(rows -> rows.get(0)).toList();
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
                outcome = repair.recreate(current, existing, counters);
            }
            if (reported.incrementAndGet() <= REPORT_LINES) {
                console.println("group " + update.messageGroupUuid() + ": " + existing.size()
                        + " of 2 group rows; " + outcome);
            }
        }
    }

    private void moveForward(GroupUpdate update, List<GroupRow> rowsNewestFirst, ReplayCounters counters) {
        GroupRow newest = rowsNewestFirst.get(0);
        List<GroupRow> toDelete;
        if (update.sk().compareTo(newest.sk()) > 0) {
            if (!putUnlessOtherGroup(newest.withLastMessage(update.sk(), update.message()), counters)) {
                return;
            }
            counters.increment(ReplayCounters.ROWS_MOVED);
            toDelete = rowsNewestFirst;
            counters.add(ReplayCounters.LEFTOVERS_DELETED, rowsNewestFirst.size() - 1);
        }
        else {
            counters.increment(ReplayCounters.ROWS_CURRENT);
            toDelete = rowsNewestFirst.subList(1, rowsNewestFirst.size());
            counters.add(ReplayCounters.LEFTOVERS_DELETED, toDelete.size());
        }
        for (GroupRow old : toDelete) {
            deleteIfStillOfGroup(old);
        }
    }

    /** The group's rows through the sparse GSI, all pages. */
    List<GroupRow> groupRows(UUID group) {
        List<GroupRow> rows = new ArrayList<>();
        dynamoDb.queryPaginator(q -> q.tableName(table).indexName(index)
                .keyConditionExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(group.toString()))))
                .items().forEach(item -> rows.add(GroupRow.fromItem(item)));
        return rows;
    }

    /**
     * Puts the row unless its key holds a row of ANOTHER group (same owner, same sk): overwriting that
     * would lose the other conversation. Reported and counted; the group keeps its old row.
     */
    boolean putUnlessOtherGroup(GroupRow row, ReplayCounters counters) {
        try {
            dynamoDb.putItem(p -> p.tableName(table).item(row.toItem())
                    .conditionExpression("attribute_not_exists(pk) OR message_group_uuid = :g")
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(row.messageGroupUuid().toString()))));
            return true;
        }
        catch (ConditionalCheckFailedException e) {
            counters.increment(ReplayCounters.KEY_COLLISIONS);
            console.println("group " + row.messageGroupUuid() + ": not moved to " + row.sk() + " for owner "
                    + row.ownerUserUuid() + ": that key holds a row of another group");
            return false;
        }
    }

    /** Deletes only while the key still holds a row of this group; gone already is fine. */
    private void deleteIfStillOfGroup(GroupRow old) {
        try {
            dynamoDb.deleteItem(d -> d.tableName(table)
                    .key(Map.of(MessageKeys.PK, AttributeValue.fromS(MessageKeys.groupPk(old.ownerUserUuid())),
                            MessageKeys.SK, AttributeValue.fromS(old.sk())))
                    .conditionExpression("message_group_uuid = :g")
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(old.messageGroupUuid().toString()))));
        }
        catch (ConditionalCheckFailedException alreadyGone) {
            // deleted by a concurrent consumer or an earlier attempt
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
