package com.cruddur.batch.dynamodb;

import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.util.Assert;

/**
 * The reader of a step whose {@link DynamoDbBatchItemWriter} writes behind: chunk N's requests are
 * still running when chunk N commits, and are only known to have succeeded when chunk N+1 is written
 * (or the input ends). So at each commit this reader saves its delegate's position of the PREVIOUS
 * commit, which every item before it is known to be written up to. A restart after a crash or a failed
 * request resumes there and writes at most one chunk again; puts are idempotent, so that is safe. When
 * the delegate runs out, the writer is flushed and told to write the last chunk before returning, so
 * the step completes only once everything is written.
 * <p>
 * The cost of the overlap: after a restart the step's read and write counts include that chunk twice,
 * and so may a rejects file (rows are reported at least once).
 *
 * @param <T> the item type
 */
public class CheckpointBehindReader<T> implements ItemStreamReader<T> {

    private final ItemStreamReader<T> delegate;
    private final DynamoDbBatchItemWriter<?> writer;
    /** The delegate's state at the previous commit (at open: the position it started from). */
    private ExecutionContext previous;

    public CheckpointBehindReader(ItemStreamReader<T> delegate, DynamoDbBatchItemWriter<?> writer) {
        Assert.notNull(delegate, "delegate");
        Assert.notNull(writer, "writer");
        this.delegate = delegate;
        this.writer = writer;
    }

    @Override
    public void open(ExecutionContext executionContext) {
        // Checked here, not in the constructor: a step-scoped writer can only be asked inside its step.
        Assert.isTrue(writer.writesBehind(), "the writer must be built with writeBehind(true)");
        delegate.open(executionContext);
        previous = new ExecutionContext();
        delegate.update(previous);
    }

    @Override
    public T read() throws Exception {
        T item = delegate.read();
        if (item == null) {
            writer.flush();
            writer.endOfInput();
        }
        return item;
    }

    @Override
    public void update(ExecutionContext executionContext) {
        ExecutionContext now = new ExecutionContext();
        delegate.update(now);
        for (Map.Entry<String, Object> entry : previous.entrySet()) {
            executionContext.put(entry.getKey(), entry.getValue());
        }
        previous = now;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
