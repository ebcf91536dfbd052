package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.task.AsyncTaskExecutor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Places each group's two rows. The rows of an owner who has no group row yet (one consistent read per owner
 * and chunk tells) are placed in memory ({@link NewOwnerRows}) and written with BatchWriteItem: nothing of
 * the owner's is in the table to move, delete or step around. The rows of other owners go through
 * {@link GroupRowStore} (conditional put, then conditional delete of the owner's older rows of the group),
 * in parallel: the store's outcome does not depend on their order. A restart after a partly written chunk
 * finds the owners' rows and goes through the store, which ends with the same rows.
 * <p>
 * Rows placed 1 microsecond later because another group of the same owner ends at the same instant are
 * printed (the first {@value #REPORT_LINES}) and counted in the step summary; the count is kept in the step's
 * ExecutionContext, so a restart continues it.
 */
public class GroupRowsWriter implements ItemWriter<List<GroupRow>>, ItemStream, StepExecutionListener {

    static final int REPORT_LINES = 20;
    private static final String SHIFTED_KEY = "group-rows.shifted";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final GroupRowStore store;
    private final ItemWriter<GroupRow> newOwnersWriter;
    private final AsyncTaskExecutor executor;
    private final Console console;
    private long shifted;

    /**
     * @param newOwnersWriter writes the rows of owners who have none yet, as planned (BatchWriteItem); returns
     *                        when they are written
     */
    public GroupRowsWriter(DynamoDbClient dynamoDb, String table, ItemWriter<GroupRow> newOwnersWriter,
            AsyncTaskExecutor executor, Console console) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.store = new GroupRowStore(dynamoDb, table);
        this.newOwnersWriter = newOwnersWriter;
        this.executor = executor;
        this.console = console;
    }

    @Override
    public void open(ExecutionContext context) {
        shifted = context.getLong(SHIFTED_KEY, 0);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(SHIFTED_KEY, shifted);
    }

    @Override
    public void write(Chunk<? extends List<GroupRow>> chunk) throws Exception {
        Map<UUID, List<GroupRow>> byOwner = new LinkedHashMap<>();
        for (List<GroupRow> rows : chunk) {
            for (GroupRow row : rows) {
                byOwner.computeIfAbsent(row.ownerUserUuid(), owner -> new ArrayList<>()).add(row);
            }
        }
        // One consistent read per owner, not per row: does the owner have any group row yet?
        Map<UUID, Future<Boolean>> hasRows = new LinkedHashMap<>();
        for (UUID owner : byOwner.keySet()) {
            hasRows.put(owner, executor.submit(() -> hasGroupRows(owner)));
        }
        List<GroupRow> planned = new ArrayList<>();
        List<GroupRowStore.Shift> shifts = new ArrayList<>();
        List<Future<GroupRowStore.Placement>> placements = new ArrayList<>();
        Exception first = null;
        for (Map.Entry<UUID, Future<Boolean>> owner : hasRows.entrySet()) {
            List<GroupRow> rows = byOwner.get(owner.getKey());
            NewOwnerRows.Plan plan = null;
            try {
                plan = owner.getValue().get() ? null : NewOwnerRows.plan(rows);
            }
            catch (ExecutionException e) {
                first = first != null ? first : e.getCause() instanceof Exception cause ? cause : e;
                continue;
            }
            if (plan != null) {
                planned.addAll(plan.rows());
                shifts.addAll(plan.shifts());
            }
            else {
                // Rows of other groups to respect, older rows to delete: each row through the store.
                for (GroupRow row : rows) {
                    placements.add(executor.submit(() -> store.place(row)));
                }
            }
        }
        if (first == null && !planned.isEmpty()) {
            try {
                newOwnersWriter.write(new Chunk<>(planned));
            }
            catch (Exception e) {
                first = e;
            }
        }
        for (Future<GroupRowStore.Placement> placement : placements) {
            try {
                shifts.addAll(placement.get().shifts());
            }
            catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first; // nothing of this chunk is counted: its restart places (and reports) it again
        }
        for (GroupRowStore.Shift shift : shifts) {
            if (++shifted <= REPORT_LINES) {
                console.println("  seed-group-rows: key GRP#" + shift.owner() + " " + shift.wantedSk()
                        + " is kept by group " + shift.holder() + "; the row of group " + shift.group()
                        + " is placed at " + shift.placedSk());
            }
        }
    }

    /** Whether the owner has a group row in the table, any group: read consistently from the base table. */
    private boolean hasGroupRows(UUID owner) {
        return dynamoDb.query(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner))))
                .limit(1)).count() > 0;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (shifted > 0) {
            console.println("  seed-group-rows: " + shifted + " group row(s) placed 1 microsecond later than their"
                    + " newest message, because another group of the same user ends at that instant");
        }
        return null;
    }
}
