package com.cruddur.batch.export;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

import com.cruddur.batch.job.Console;

/** One line per item on stdout (through {@link Console}), after an optional header line. */
public class ConsoleLinesItemWriter<T> implements ItemStreamWriter<T> {

    private final Console console;
    private final LineAggregator<T> lineAggregator;
    private final String header;

    public ConsoleLinesItemWriter(Console console, LineAggregator<T> lineAggregator, String header) {
        this.console = console;
        this.lineAggregator = lineAggregator;
        this.header = header;
    }

    @Override
    public void open(ExecutionContext context) {
        if (header != null) {
            console.println(header);
        }
    }

    @Override
    public void write(Chunk<? extends T> chunk) {
        for (T item : chunk) {
            console.println(lineAggregator.aggregate(item));
        }
    }
}
