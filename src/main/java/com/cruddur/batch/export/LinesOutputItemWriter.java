package com.cruddur.batch.export;

import java.nio.file.Path;

import com.cruddur.batch.item.DelegatingItemStreamWriter;
import com.cruddur.batch.job.Console;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Lines to a file when an output path is given (restartable, gzip when it ends in .gz), else to stdout.
 * A class of its own so that step-scoped beans can declare a concrete type.
 */
public class LinesOutputItemWriter<T> extends DelegatingItemStreamWriter<T> {

    public LinesOutputItemWriter(String output, Console console, LineAggregator<T> lines, String header) {
        super(output == null || output.isBlank() ? new ConsoleLinesItemWriter<>(console, lines, header)
                : new LinesFileItemWriter<>("output", Path.of(output), output.endsWith(".gz"), lines, header));
    }
}
