package com.cruddur.batch.item;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Hands writing and its stream state to another writer. Subclasses choose the delegate (a local file,
 * stdout or an S3 object) and add what is theirs, while step-scoped beans declare one concrete type.
 */
public class DelegatingItemStreamWriter<T> implements ItemStreamWriter<T> {

    private final ItemStreamWriter<T> delegate;

    protected DelegatingItemStreamWriter(ItemStreamWriter<T> delegate) {
        this.delegate = delegate;
    }

    protected ItemStreamWriter<T> delegate() {
        return delegate;
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
}
