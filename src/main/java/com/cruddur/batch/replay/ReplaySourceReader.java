package com.cruddur.batch.replay;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The reader of the chosen {@code source} (file, stream or table) behind one concrete type, so the
 * step-scoped bean has a class Spring Batch can inspect rather than an interface.
 */
public class ReplaySourceReader implements ItemStreamReader<ChangeRecord> {

    private final ItemStreamReader<ChangeRecord> source;

    public ReplaySourceReader(ItemStreamReader<ChangeRecord> source) {
        this.source = source;
    }

    @Override
    public ChangeRecord read() throws Exception {
        return source.read();
    }

    @Override
    public void open(ExecutionContext context) {
        source.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        source.update(context);
    }

    @Override
    public void close() {
        source.close();
    }
}
