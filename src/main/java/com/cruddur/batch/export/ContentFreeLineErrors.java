package com.cruddur.batch.export;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;

/**
 * A line reader whose parse errors carry no record content. Spring Batch's {@link FlatFileParseException}
 * quotes the whole line ({@code input=[...]}), and the step's ERROR log prints every message of the
 * chain, so it is replaced by its cause, whose message (from the line mapper) names file, line and what
 * is wrong, never the values.
 */
class ContentFreeLineErrors<T> implements ItemStreamReader<T> {

    private final ItemStreamReader<T> delegate;

    ContentFreeLineErrors(ItemStreamReader<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public T read() throws Exception {
        try {
            return delegate.read();
        }
        catch (FlatFileParseException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalArgumentException("line " + e.getLineNumber() + " cannot be read");
        }
    }

    @Override
    public void open(ExecutionContext executionContext) {
        delegate.open(executionContext);
    }

    @Override
    public void update(ExecutionContext executionContext) {
        delegate.update(executionContext);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
