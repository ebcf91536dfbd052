package com.cruddur.batch.export;

import java.nio.file.Path;

import com.cruddur.batch.job.Console;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Lines to a file when an output path is given (restartable, gzip when it ends in .gz), else to stdout.
 * A class of its own so that step-scoped beans can declare a concrete type.
 */
public class LinesOutputItemWriter<T> implements ItemStreamWriter<T> {

    private final ItemStreamWriter<T> delegate;

    public LinesOutputItemWriter(String output, Console console, LineAggregator<T> lines, String header) {
        this.delegate = output == null || output.isBlank() ? new ConsoleLinesItemWriter<>(console, lines, header)
                : new LinesFileItemWriter<>("output", Path.of(output), output.endsWith(".gz"), lines, header);
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
