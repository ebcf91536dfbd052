package com.cruddur.batch.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Writes a chunk of items as UTF-8 lines, each ended by {@code '\n'}, to a stream. A whole chunk at once,
 * so an encoder can set up its generator once per chunk rather than once per item.
 */
@FunctionalInterface
interface LinesEncoder<T> {

    void encode(Iterable<? extends T> items, OutputStream out) throws IOException;

    /** Lines made by a {@link LineAggregator} (CSV, text), encoded as UTF-8. */
    static <T> LinesEncoder<T> of(LineAggregator<T> lineAggregator) {
        return (items, out) -> {
            for (T item : items) {
                out.write(lineAggregator.aggregate(item).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        };
    }
}
