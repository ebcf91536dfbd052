package com.cruddur.batch.cognito;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;

/**
 * A {@link FlatFileItemWriter} whose file is created owner-only before the writer opens it. The
 * delegate must be built with {@code append(true)}: it then writes into the file created here
 * (header included, since the file is empty) instead of deleting it and creating one with the
 * process's default permissions. On restart the file is left as it is and the delegate truncates it
 * to its last committed position, as usual.
 */
class OwnerOnlyFileItemWriter<T> implements ItemStreamWriter<T> {

    private static final String CREATED = "owner-only-file.created";

    private final FlatFileItemWriter<T> delegate;
    private final Path path;

    OwnerOnlyFileItemWriter(FlatFileItemWriter<T> delegate, Path path) {
        this.delegate = delegate;
        this.path = path;
    }

    @Override
    public void open(ExecutionContext context) {
        if (!context.containsKey(CREATED)) {
            try {
                OwnerOnlyFiles.createEmpty(path);
            }
            catch (IOException e) {
                throw new ItemStreamException("cannot create " + path + ": " + e.getMessage(), e);
            }
            context.putString(CREATED, path.toString());
        }
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
