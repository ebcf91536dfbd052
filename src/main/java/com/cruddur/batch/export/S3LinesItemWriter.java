package com.cruddur.batch.export;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes one line per item to an S3 object, plain or gzip (one gzip member per chunk, as
 * {@link LinesFileItemWriter} writes a file), counting the items and computing the object's SHA-256 as
 * the bytes go by, so the manifest needs no second read.
 * <p>
 * The object is a multipart upload: the bytes are buffered until a part is full ({@link #DEFAULT_PART_SIZE},
 * at least S3's 5 MiB), then uploaded; only the last part is smaller. At most one part and one chunk are
 * in memory. A segment small enough for a single part is one PutObject. The object appears only when the
 * step has read its segment to the end ({@link #afterStep}: CompleteMultipartUpload), so no reader ever
 * sees a partial object, and its SHA-256, item count and size then go into the step's ExecutionContext
 * for the manifest.
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
    /** S3's least size for every part but the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    private static final int INITIAL_TEXT = 64 * 1024;
    /** Beyond this a chunk's text buffer is not kept for the next chunk: items may be up to 400 KB each. */
    private static final int KEPT_TEXT = 4 * 1024 * 1024;

    private static final Log logger = LogFactory.getLog(S3LinesItemWriter.class);

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final boolean gzip;
    private final LinesEncoder<T> encoder;
    private final String header;
    private final int partSize;

    private Buffer text;
    /** The bytes not uploaded yet. */
    private Buffer part;
    private MessageDigest digest;
    private OutputStream sink;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private long lines;
    private long bytes;

    /**
     * @param header   first line of the object (e.g. CSV column names), or null
     * @param partSize bytes per part, at least {@link #MIN_PART_SIZE}
     */
    S3LinesItemWriter(String name, S3Client s3, String bucket, String key, boolean gzip, LinesEncoder<T> encoder,
            String header, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's least part size " + MIN_PART_SIZE);
        }
        setName(name);
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.gzip = gzip;
        this.encoder = encoder;
        this.header = header;
        this.partSize = partSize;
    }

    private String location() {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        String recorded = context.getString(getExecutionContextKey(UPLOAD), null);
        if (recorded != null) {
            abort(recorded, "recorded by the run that stopped");
        }
        abortOthersOfThisKey();
        context.remove(getExecutionContextKey(UPLOAD));
        context.remove(getExecutionContextKey(SHA256));
        uploadId = null;
        parts.clear();
        lines = 0;
        bytes = 0;
        text = new Buffer(INITIAL_TEXT);
        part = new Buffer(partSize + 1024 * 1024);
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                part.write(b, off, len);
                digest.update(b, off, len);
                bytes += len;
            }
        };
        if (header != null) {
            try {
                text.reset();
                text.write((header + "\n").getBytes(StandardCharsets.UTF_8));
                append();
            }
            catch (IOException e) {
                throw new ItemStreamException("cannot buffer the header of " + location(), e);
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
        if (part.size() >= partSize) {
            uploadPart();
        }
    }

    /** The chunk's text into the part buffer (and the digest), as one gzip member when compressing. */
    private void append() throws IOException {
        if (gzip) {
            GZIPOutputStream member = new GZIPOutputStream(sink, 64 * 1024);
            text.writeTo(member);
            member.finish();
        }
        else {
            text.writeTo(sink);
        }
    }

    private void uploadPart() {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType()))
                        .uploadId();
            }
            int number = parts.size() + 1;
            UploadPartResponse response = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .partNumber(number).contentLength((long) part.size()), part.body());
            parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).checksumCRC32C(response.checksumCRC32C())
                    .checksumCRC64NVME(response.checksumCRC64NVME()).checksumSHA1(response.checksumSHA1())
                    .checksumSHA256(response.checksumSHA256()).build());
        }
        catch (SdkException e) {
            throw S3ExportFolder.failure("cannot write " + location() + ": "
                    + S3ExportFolder.reason(e, "s3:PutObject on the prefix"), e);
        }
        part.reset();
    }

    private String contentType() {
        return gzip ? "application/gzip" : key.endsWith(".csv") ? "text/csv" : "application/json";
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        if (uploadId != null) {
            context.putString(getExecutionContextKey(UPLOAD), uploadId);
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
        if (part == null) {
            return null; // never opened
        }
        ExecutionContext context = stepExecution.getExecutionContext();
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            abortQuietly(context);
            return null;
        }
        try {
            finish();
            context.remove(getExecutionContextKey(UPLOAD));
            context.putString(getExecutionContextKey(SHA256), HexFormat.of().formatHex(digest.digest()));
            context.putLong(getExecutionContextKey(LinesFileItemWriter.LINES), lines);
            context.putLong(getExecutionContextKey(BYTES), bytes);
            return null;
        }
        catch (RuntimeException e) {
            abortQuietly(context);
            stepExecution.setStatus(BatchStatus.FAILED);
            stepExecution.addFailureException(e);
            return ExitStatus.FAILED.addExitDescription(e);
        }
    }

    private void finish() {
        if (uploadId == null) {
            // All of it fits in one part: a single PutObject.
            try {
                s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType()).contentLength((long) part.size()),
                        part.body());
            }
            catch (SdkException e) {
                throw S3ExportFolder.failure("cannot write " + location() + ": "
                        + S3ExportFolder.reason(e, "s3:PutObject on the prefix"), e);
            }
            part.reset();
            return;
        }
        if (part.size() > 0) {
            uploadPart();
        }
        try {
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        }
        catch (SdkException e) {
            throw S3ExportFolder.failure("cannot complete " + location() + ": "
                    + S3ExportFolder.reason(e, "s3:PutObject on the prefix"), e);
        }
        uploadId = null;
    }

    private void abortQuietly(ExecutionContext context) {
        if (uploadId != null && abort(uploadId, "of this failed run")) {
            uploadId = null;
            context.remove(getExecutionContextKey(UPLOAD));
        }
    }

    /** @return true when the upload is gone (aborted now, or already finished or aborted) */
    private boolean abort(String id, String which) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id));
            logger.info("aborted the multipart upload " + which + " of " + location());
            return true;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return true; // NoSuchUpload: completed or aborted already
            }
            logger.warn(cannotAbort(which, e));
            return false;
        }
        catch (SdkException e) {
            logger.warn(cannotAbort(which, e));
            return false;
        }
    }

    private String cannotAbort(String which, SdkException e) {
        return "could not abort the multipart upload " + which + " of " + location() + " ("
                + S3ExportFolder.reason(e, "s3:AbortMultipartUpload") + "); a restart aborts it, else the bucket's "
                + "AbortIncompleteMultipartUpload lifecycle rule removes it";
    }

    /** Unfinished uploads of this very key: one a killed run created but had not recorded yet. */
    private void abortOthersOfThisKey() {
        List<MultipartUpload> uploads;
        try {
            uploads = s3.listMultipartUploads(r -> r.bucket(bucket).prefix(key)).uploads();
        }
        catch (SdkException e) {
            logger.warn("could not list the unfinished multipart uploads of " + location() + " ("
                    + S3ExportFolder.reason(e, "s3:ListBucketMultipartUploads") + "); only the one a stopped run "
                    + "recorded is aborted, the bucket's AbortIncompleteMultipartUpload lifecycle rule removes others");
            return;
        }
        for (MultipartUpload upload : uploads) {
            if (upload.key().equals(key)) {
                abort(upload.uploadId(), "left by an earlier run");
            }
        }
    }

    @Override
    public void close() throws ItemStreamException {
        // Spring Batch calls afterStep before close: the object is complete (or aborted) by now.
        text = null;
        sink = null;
        part = null;
    }

    /** A byte array stream whose content can be sent without copying it first. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        int capacity() {
            return buf.length;
        }

        RequestBody body() {
            byte[] bytes = buf;
            int length = count;
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                    "application/octet-stream");
        }
    }
}
