package com.cruddur.batch.cognito;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.cruddur.batch.aws.S3UploadStream;
import com.cruddur.batch.aws.S3Uploads;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Lines (UTF-8, each ending in {@code \n}, a header first when given) streamed into an S3 object that
 * appears only at {@link #complete()}: the step's listener calls it when the step has read and written
 * everything, and a step that fails or is stopped leaves no object ({@link #close()} aborts the upload).
 * There is no restart position: an upload cannot be continued by another process, so a restart writes the
 * object from the first line. The id of a multipart upload in progress is kept in the step's context, so
 * that the restart after a killed run can abort it.
 */
final class S3LinesWriter<T> implements ItemStreamWriter<T> {

    /** In the step's context from the first commit on: a restart of this step starts the object over. */
    static final String STARTED = "s3-output.started";
    static final String UPLOAD_ID = "s3-output.upload-id";

    private final S3Uploads uploads;
    private final String location;
    private final LineAggregator<T> lines;
    private final String header;
    private S3UploadStream out;

    S3LinesWriter(S3Uploads uploads, String location, LineAggregator<T> lines, String header) {
        this.uploads = uploads;
        this.location = location;
        this.lines = lines;
        this.header = header;
    }

    @Override
    public void open(ExecutionContext context) {
        out = uploads.open(location);
        if (header != null) {
            writeLine(header);
        }
    }

    @Override
    public void write(Chunk<? extends T> chunk) {
        for (T item : chunk) {
            writeLine(lines.aggregate(item));
        }
    }

    private void writeLine(String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(STARTED, location);
        if (out != null && out.uploadId() != null) {
            context.putString(UPLOAD_ID, out.uploadId());
        }
    }

    /** The object appears, whole; on failure nothing does (the upload is aborted) and this throws. */
    void complete() throws IOException {
        out.complete();
    }

    long bytes() {
        return out == null ? 0 : out.bytes();
    }

    @Override
    public void close() {
        if (out != null) {
            out.close(); // aborts, unless complete() made the object
        }
    }
}
