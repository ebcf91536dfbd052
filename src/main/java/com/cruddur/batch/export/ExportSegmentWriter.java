package com.cruddur.batch.export;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The writer of one export segment: a local file ({@link LinesFileItemWriter}) or an S3 object
 * ({@link S3LinesItemWriter}, which also listens for the end of its step to complete the object). One class
 * either way, so that the step-scoped bean declares a concrete type that is both a stream and a listener.
 */
public class ExportSegmentWriter<T> implements ItemStreamWriter<T>, StepExecutionListener {

    private final ItemStreamWriter<T> delegate;

    ExportSegmentWriter(ItemStreamWriter<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public void open(ExecutionContext context) {
        delegate.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        delegate.update(context);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        delegate.write(chunk);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        return delegate instanceof StepExecutionListener listener ? listener.afterStep(stepExecution) : null;
    }
}
