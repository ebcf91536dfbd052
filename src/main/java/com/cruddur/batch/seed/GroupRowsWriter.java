package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Places each group's two rows with {@link GroupRowStore} (conditional put, then conditional delete of the
 * owner's older rows of the group), the rows of a chunk in parallel: the store's outcome does not depend on
 * their order. Rows placed 1 microsecond later because another group of the same owner ends at the same
 * instant are printed (the first {@value #REPORT_LINES}) and counted in the step summary; the count is kept
 * in the step's ExecutionContext, so a restart continues it.
 */
public class GroupRowsWriter implements ItemWriter<List<GroupRow>>, ItemStream, StepExecutionListener {

    static final int REPORT_LINES = 20;
    private static final String SHIFTED_KEY = "group-rows.shifted";

    private final GroupRowStore store;
    private final AsyncTaskExecutor executor;
    private final Console console;
    private long shifted;

    public GroupRowsWriter(GroupRowStore store, AsyncTaskExecutor executor, Console console) {
        this.store = store;
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
        List<Future<GroupRowStore.Placement>> placements = new ArrayList<>();
        for (List<GroupRow> rows : chunk) {
            for (GroupRow row : rows) {
                placements.add(executor.submit(() -> store.place(row)));
            }
        }
        List<GroupRowStore.Shift> shifts = new ArrayList<>();
        Exception first = null;
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

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (shifted > 0) {
            console.println("  seed-group-rows: " + shifted + " group row(s) placed 1 microsecond later than their"
                    + " newest message, because another group of the same user ends at that instant");
        }
        return null;
    }
}
