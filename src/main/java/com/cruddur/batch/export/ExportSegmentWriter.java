package com.cruddur.batch.export;

import com.cruddur.batch.item.DelegatingItemStreamWriter;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * The writer of one export segment: a local file ({@link LinesFileItemWriter}) or an S3 object
 * ({@link S3LinesItemWriter}, which also listens for the end of its step to complete the object). One class
 * either way, so that the step-scoped bean declares a concrete type that is both a stream and a listener.
 */
public class ExportSegmentWriter<T> extends DelegatingItemStreamWriter<T> implements StepExecutionListener {

    ExportSegmentWriter(ItemStreamWriter<T> delegate) {
        super(delegate);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        return delegate() instanceof StepExecutionListener listener ? listener.afterStep(stepExecution) : null;
    }
}
