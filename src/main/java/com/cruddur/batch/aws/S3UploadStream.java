package com.cruddur.batch.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An S3 object written as a stream, which appears only when {@link #complete()} is called and never in
 * part: up to one part's worth of bytes is held in memory; what fits in one part is sent by one PutObject
 * at {@link #complete()}, anything larger is a multipart upload (CreateMultipartUpload at the first full
 * part, UploadPart per part, CompleteMultipartUpload at {@link #complete()}). {@link #abort()}, or
 * {@link #close()} without {@link #complete()}, sends AbortMultipartUpload, so an upload that fails leaves
 * no object and no pending parts (unless the process is killed: then the bucket's lifecycle rule
 * AbortIncompleteMultipartUpload removes the parts). Server-side encryption is requested on the
 * PutObject or CreateMultipartUpload ({@link S3Uploads}), with the content type when one is given.
 * <p>
 * What was written is counted ({@link #bytes()}); wrap the stream (e.g. in a {@code DigestOutputStream}) to
 * see the bytes themselves. The upload id ({@link #uploadId()}) is what a caller keeps in its saved state
 * so that a later run can abort an upload a killed one left ({@link S3Uploads#abandon}).
 * <p>
 * Not thread-safe; one writer at a time.
 */
public final class S3UploadStream extends OutputStream {

    /** 8 MiB: S3 wants at least 5 MiB per part but the last; 10,000 parts of 8 MiB are 78 GiB. */
    public static final int DEFAULT_PART_SIZE = 8 << 20;
    private static final Log LOG = LogFactory.getLog(S3UploadStream.class);

    private final S3Client client;
    private final S3Objects.Location at;
    private final String location;
    private final S3Uploads.Encryption encryption;
    private final String contentType;
    private final int partSize;
    private byte[] buffer = new byte[64 << 10];
    private int length;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private long bytes;
    private boolean finished;
    /** An abort that S3 did not confirm: the upload's parts may still be there. */
    private boolean abortFailed;

    S3UploadStream(S3Client client, String location, S3Uploads.Encryption encryption, String contentType,
            int partSize) {
        this.client = client;
        this.at = S3Objects.Location.parse(location);
        this.location = location;
        this.encryption = encryption;
        this.contentType = contentType;
        this.partSize = partSize;
    }

    public String location() {
        return location;
    }

    /** The multipart upload's id once one was started, else null (what fits in one part is one PutObject). */
    public String uploadId() {
        return uploadId;
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] data, int offset, int count) throws IOException {
        if (finished) {
            throw new IOException(location + ": the upload is already " + (uploadId == null ? "finished" : "closed"));
        }
        while (count > 0) {
            if (length == partSize) {
                sendPart();
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(partSize, buffer.length * 2));
            }
            int n = Math.min(count, buffer.length - length);
            System.arraycopy(data, offset, buffer, length, n);
            length += n;
            offset += n;
            count -= n;
            bytes += n;
        }
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(b -> encryption.apply(b.bucket(at.bucket()).key(at.key()))
                        .contentType(contentType)).uploadId();
            }
            int number = parts.size() + 1;
            UploadPartResponse response = client.uploadPart(b -> b.bucket(at.bucket()).key(at.key())
                    .uploadId(uploadId).partNumber(number).contentLength((long) length), body());
            // The part's checksum, when the SDK sent one (its default on AWS), must come back in the
            // CompleteMultipartUpload, or S3 does not find the part.
            parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).checksumCRC32C(response.checksumCRC32C())
                    .checksumCRC64NVME(response.checksumCRC64NVME()).checksumSHA1(response.checksumSHA1())
                    .checksumSHA256(response.checksumSHA256()).build());
            length = 0;
        }
        catch (SdkException e) {
            throw failed(e);
        }
    }

    /** The buffered bytes as a request body, not copied (the call returns before the buffer is written again). */
    private RequestBody body() {
        byte[] bytes = buffer;
        int count = length;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, count), count,
                "application/octet-stream");
    }

    /** Makes the object appear, whole: PutObject, or the last part and CompleteMultipartUpload. */
    public void complete() throws IOException {
        if (finished) {
            throw new IOException(location + ": the upload is already finished");
        }
        try {
            if (uploadId == null) {
                client.putObject(b -> encryption.apply(b.bucket(at.bucket()).key(at.key())).contentType(contentType)
                        .contentLength((long) length), body());
            }
            else {
                if (length > 0) {
                    sendPart();
                }
                client.completeMultipartUpload(b -> b.bucket(at.bucket()).key(at.key()).uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts)));
            }
            finished = true;
            buffer = null;
        }
        catch (SdkException | IOException e) {
            abort();
            throw e instanceof IOException io ? io : failed((SdkException) e);
        }
    }

    /**
     * Drops what was written: nothing was stored for a single part; a multipart upload is aborted (its parts
     * deleted). A failing abort is logged, not thrown: the caller is already failing for another reason.
     *
     * @return true when no part of this upload is left (none was sent, the abort went through, or the upload
     *         was completed); false when S3 could not be told, so the upload id is worth keeping
     */
    public boolean abort() {
        if (finished) {
            return !abortFailed;
        }
        finished = true;
        buffer = null;
        if (uploadId != null) {
            abortFailed = !abort(client, location, uploadId);
        }
        return !abortFailed;
    }

    /**
     * Aborts a multipart upload by id (one left by a killed run, found in its saved state).
     *
     * @return true when the upload is gone (aborted now, or completed or aborted already)
     */
    static boolean abort(S3Client client, String location, String uploadId) {
        S3Objects.Location at = S3Objects.Location.parse(location);
        try {
            client.abortMultipartUpload(b -> b.bucket(at.bucket()).key(at.key()).uploadId(uploadId));
            return true;
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) { // NoSuchUpload: aborted or completed already, nothing left
                return true;
            }
            LOG.warn(cannotAbort(location, uploadId, e));
            return false;
        }
        catch (SdkException e) {
            LOG.warn(cannotAbort(location, uploadId, e));
            return false;
        }
    }

    private static String cannotAbort(String location, String uploadId, SdkException e) {
        return "could not abort the multipart upload " + uploadId + " of " + location + " (" + e.getMessage()
                + "); a restart of the run aborts it, else the bucket's AbortIncompleteMultipartUpload lifecycle "
                + "rule removes its parts";
    }

    /** Without {@link #complete()} first, the same as {@link #abort()}: nothing appears. */
    @Override
    public void close() {
        abort();
    }

    private IOException failed(SdkException e) {
        // Not chained: the launcher prints a failure's root cause, and this line names the object; the SDK's
        // exception stays attached for the stack trace.
        IOException failure = new IOException("cannot write " + location + ": " + S3Uploads.reason(e, at));
        failure.addSuppressed(e);
        return failure;
    }
}
