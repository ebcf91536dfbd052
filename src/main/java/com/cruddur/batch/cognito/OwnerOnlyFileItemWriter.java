package com.cruddur.batch.cognito;

import java.io.IOException;
import java.nio.file.Path;

import com.cruddur.batch.item.DelegatingItemStreamWriter;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;

/**
 * A {@link FlatFileItemWriter} whose file is created owner-only before the writer opens it. The
 * delegate must be built with {@code append(true)}: it then writes into the file created here
 * (header included, since the file is empty) instead of deleting it and creating one with the
 * process's default permissions. On restart the file is left as it is and the delegate truncates it
 * to its last committed position, as usual.
 */
class OwnerOnlyFileItemWriter<T> extends DelegatingItemStreamWriter<T> {

    private static final String CREATED = "owner-only-file.created";

    private final Path path;

    OwnerOnlyFileItemWriter(FlatFileItemWriter<T> delegate, Path path) {
        super(delegate);
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
        super.open(context);
    }
}
