package com.cruddur.batch.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import com.cruddur.batch.aws.S3UploadStream;
import com.cruddur.batch.aws.S3Uploads;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.util.StreamUtils;

/**
 * Writes one line per item to an S3 object, plain or gzip (one gzip member per chunk, as
 * {@link LinesFileItemWriter} writes a file), counting the items and computing the object's SHA-256 as
 * the bytes go by, so the manifest needs no second read.
 * <p>
 * The object is an {@link S3UploadStream} (server-side encryption as for every upload, {@link S3Uploads}):
 * a multipart upload whose parts ({@link #DEFAULT_PART_SIZE}, at least S3's 5 MiB) go out as they fill; only
 * the last part is smaller. At most one part and one chunk are in memory. A segment small enough for a
 * single part is one PutObject. The object appears only when the step has read its segment to the end
 * ({@link #afterStep}: CompleteMultipartUpload), so no reader ever sees a partial object, and its SHA-256,
 * item count and size then go into the step's ExecutionContext for the manifest.
 * <p>
 * Restart: an S3 multipart upload cannot be resumed at a chunk boundary (every part but the last must be
 * 5 MiB or more, and the parts of an unfinished upload cannot be read back to continue the SHA-256), so
 * an unfinished segment starts over: the upload the failed run recorded in the ExecutionContext is aborted,
 * as is any other unfinished upload of the same key (one created just before a kill, before its id was
 * committed), and the segment is scanned again from its start (the export's reader keeps no position for
 * an S3 export). A failed step aborts its upload at once when S3 can still be reached.
 */
public class S3LinesItemWriter<T> extends ItemStreamSupport implements ItemStreamWriter<T>, StepExecutionListener {

    static final String UPLOAD = "upload";
    static final String SHA256 = "sha256";
    static final String BYTES = "bytes";
    static final int DEFAULT_PART_SIZE = S3UploadStream.DEFAULT_PART_SIZE;
    private static final int INITIAL_TEXT = 64 * 1024;
    /** Beyond this a chunk's text buffer is not kept for the next chunk: items may be up to 400 KB each. */
    private static final int KEPT_TEXT = 4 * 1024 * 1024;

    private static final Log logger = LogFactory.getLog(S3LinesItemWriter.class);

    private final S3Uploads uploads;
    private final String location;
    private final String contentType;
    private final boolean gzip;
    private final LinesEncoder<T> encoder;
    private final String header;
    private final int partSize;

    private Buffer text;
    private S3UploadStream upload;
    /** The upload, seen through the digest. */
    private DigestOutputStream sink;
    private long lines;

    /**
     * @param header   first line of the object (e.g. CSV column names), or null
     * @param partSize bytes per part, at least {@link S3Uploads#MIN_PART_SIZE}
     */
    S3LinesItemWriter(String name, S3Uploads uploads, String bucket, String key, boolean gzip, LinesEncoder<T> encoder,
            String header, int partSize) {
        if (partSize < S3Uploads.MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's least part size "
                    + S3Uploads.MIN_PART_SIZE);
        }
        setName(name);
        this.uploads = uploads;
        this.location = "s3://" + bucket + "/" + key;
        this.contentType = gzip ? "application/gzip" : key.endsWith(".csv") ? "text/csv" : "application/json";
        this.gzip = gzip;
        this.encoder = encoder;
        this.header = header;
        this.partSize = partSize;
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        String recorded = context.getString(getExecutionContextKey(UPLOAD), null);
        if (recorded != null && uploads.abandon(location, recorded)) {
            logger.info("aborted the multipart upload recorded by the run that stopped of " + location);
        }
        int others = uploads.abandonAll(location);
        if (others > 0) {
            logger.info("aborted " + others + " multipart upload(s) left by an earlier run of " + location);
        }
        context.remove(getExecutionContextKey(UPLOAD));
        context.remove(getExecutionContextKey(SHA256));
        lines = 0;
        text = new Buffer(INITIAL_TEXT);
        upload = uploads.open(location, contentType, partSize);
        try {
            sink = new DigestOutputStream(upload, MessageDigest.getInstance("SHA-256"));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (header != null) {
            try {
                text.reset();
                text.write((header + "\n").getBytes(StandardCharsets.UTF_8));
                append();
            }
            catch (IOException e) {
                throw new ItemStreamException("cannot write the header of " + location, e);
            }
        }
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        text.reset();
        encoder.encode(chunk, text);
        append();
        lines += chunk.size();
        if (text.capacity() > KEPT_TEXT) {
            text = new Buffer(INITIAL_TEXT);
        }
    }

    /** The chunk's text into the upload (and the digest), as one gzip member when compressing. */
    private void append() throws IOException {
        if (gzip) {
            // Closed (not only finished) so its Deflater's native memory goes now, not at some later GC;
            // the upload itself stays open.
            try (GZIPOutputStream member = new GZIPOutputStream(StreamUtils.nonClosing(sink), 64 * 1024)) {
                text.writeTo(member);
            }
        }
        else {
            text.writeTo(sink);
        }
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        if (upload != null && upload.uploadId() != null) {
            context.putString(getExecutionContextKey(UPLOAD), upload.uploadId());
        }
        else {
            context.remove(getExecutionContextKey(UPLOAD));
        }
        context.putLong(getExecutionContextKey(LinesFileItemWriter.LINES), lines);
    }

    /**
     * The step read its segment to the end: the object is completed, and its SHA-256, item count and size
     * recorded for the manifest. Any other end aborts the upload. Spring Batch only logs what afterStep
     * throws, so a failure to complete marks the step FAILED here.
     */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (upload == null) {
            return null; // never opened
        }
        ExecutionContext context = stepExecution.getExecutionContext();
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            abortQuietly(context);
            return null;
        }
        try {
            upload.complete();
            context.remove(getExecutionContextKey(UPLOAD));
            context.putString(getExecutionContextKey(SHA256), HexFormat.of().formatHex(sink.getMessageDigest().digest()));
            context.putLong(getExecutionContextKey(LinesFileItemWriter.LINES), lines);
            context.putLong(getExecutionContextKey(BYTES), upload.bytes());
            return null;
        }
        catch (IOException | RuntimeException e) {
            abortQuietly(context);
            stepExecution.setStatus(BatchStatus.FAILED);
            stepExecution.addFailureException(e);
            return ExitStatus.FAILED.addExitDescription(e);
        }
    }

    /** Aborts the upload; one S3 did not confirm stays recorded, for the restart to abort. */
    private void abortQuietly(ExecutionContext context) {
        String id = upload.uploadId();
        if (upload.abort()) {
            context.remove(getExecutionContextKey(UPLOAD));
            if (id != null) {
                logger.info("aborted the multipart upload of this failed run of " + location);
            }
        }
        else {
            context.putString(getExecutionContextKey(UPLOAD), id);
        }
    }

    @Override
    public void close() throws ItemStreamException {
        // Spring Batch calls afterStep before close: the object is complete (or aborted) by now.
        text = null;
        sink = null;
        upload = null;
    }

    /** A byte array stream whose capacity can be read. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        int capacity() {
            return buf.length;
        }
    }
}
