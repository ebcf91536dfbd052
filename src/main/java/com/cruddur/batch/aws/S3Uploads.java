package com.cruddur.batch.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Files written to S3 ({@code s3://bucket/key}) instead of a local path, always with server-side encryption
 * requested: SSE-S3 ({@code AES256}) unless {@value #KMS_KEY_PROPERTY} names a KMS key (SSE-KMS). The
 * client is the one of {@link S3Inputs} (same endpoint and credentials), built at the first s3:// location.
 * <p>
 * Large outputs are streamed ({@link #open}); a finished local file is put whole ({@link #upload}).
 */
public class S3Uploads {

    /** S3's least size for every part of a multipart upload but the last. */
    public static final int MIN_PART_SIZE = 5 << 20;

    /** A KMS key id, ARN or alias: uploads then use SSE-KMS with it instead of SSE-S3. */
    public static final String KMS_KEY_PROPERTY = "cruddur.s3.sse-kms-key-id";

    private static final Log LOG = LogFactory.getLog(S3Uploads.class);

    private final S3Inputs inputs;
    private final Encryption encryption;

    public S3Uploads(S3Inputs inputs, Environment environment) {
        this.inputs = inputs;
        String kmsKey = environment.getProperty(KMS_KEY_PROPERTY);
        this.encryption = new Encryption(kmsKey == null || kmsKey.isBlank() ? null : kmsKey.trim());
    }

    public static boolean isS3(String location) {
        return S3Inputs.isS3(location);
    }

    /** How uploads are encrypted, in words: {@code SSE-S3 (AES256)} or {@code SSE-KMS (key ...)}. */
    public String encryption() {
        return encryption.kmsKeyId() == null ? "SSE-S3 (AES256)" : "SSE-KMS (key " + encryption.kmsKeyId() + ")";
    }

    /**
     * Checks before a job starts that an s3:// location can name an object to write: a key that is not a
     * prefix, in a bucket that exists (HeadBucket). A role that may put objects but not list the bucket gets
     * 403 from HeadBucket: that is not refused here, the upload itself tells.
     *
     * @return null when usable, else one line naming the location and what is wrong
     */
    public String problemWith(String what, String location) {
        S3Objects.Location at;
        try {
            at = S3Objects.Location.parse(location);
        }
        catch (IllegalArgumentException e) {
            return what + " " + e.getMessage();
        }
        if (at.key().endsWith("/")) {
            return what + " " + location + " is a prefix; give the key of the object to write";
        }
        try {
            inputs.objectsForHelpers().client().headBucket(b -> b.bucket(at.bucket()));
            return null;
        }
        catch (S3Exception e) {
            return e.statusCode() == 404 ? what + " " + location + ": bucket " + at.bucket() + " does not exist" : null;
        }
        catch (SdkException e) {
            return what + " " + location + ": S3 cannot be reached: " + firstLine(e.getMessage());
        }
    }

    /** A stream whose bytes become the object only at {@link S3UploadStream#complete()}. */
    public S3UploadStream open(String location) {
        return open(location, null, S3UploadStream.DEFAULT_PART_SIZE);
    }

    /**
     * The same, with the object's content type (null: S3's default) and the bytes per part.
     *
     * @param partSize at least {@link #MIN_PART_SIZE}
     */
    public S3UploadStream open(String location, String contentType, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's least part size " + MIN_PART_SIZE);
        }
        return new S3UploadStream(inputs.objectsForHelpers().client(), location, encryption, contentType, partSize);
    }

    /** Any part size, for tests against a local server (S3 itself refuses parts under 5 MiB but the last). */
    S3UploadStream open(String location, int partSize) {
        return new S3UploadStream(inputs.objectsForHelpers().client(), location, encryption, null, partSize);
    }

    /** Puts a finished local file as the object at {@code location} (PutObject, up to 5 GB). */
    public void upload(Path file, String location) throws IOException {
        S3Objects.Location at = S3Objects.Location.parse(location);
        long size = Files.size(file);
        try {
            inputs.objectsForHelpers().client().putObject(
                    b -> encryption.apply(b.bucket(at.bucket()).key(at.key())).contentLength(size),
                    RequestBody.fromFile(file));
        }
        catch (SdkException e) {
            IOException failure = new IOException("cannot write " + location + ": " + reason(e, at));
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /** Deletes the object at {@code location} (nothing to do when there is none). */
    public void delete(String location) throws IOException {
        S3Objects.Location at = S3Objects.Location.parse(location);
        try {
            inputs.objectsForHelpers().client().deleteObject(b -> b.bucket(at.bucket()).key(at.key()));
        }
        catch (SdkException e) {
            IOException failure = new IOException("cannot delete " + location + ": " + reason(e, at));
            failure.addSuppressed(e);
            throw failure;
        }
    }

    /**
     * Aborts a multipart upload that a killed run left (its id kept in the run's saved state).
     *
     * @return true when it is gone (aborted now, or completed or aborted already); false when S3 refused or
     *         could not be reached (logged)
     */
    public boolean abandon(String location, String uploadId) {
        return S3UploadStream.abort(inputs.objectsForHelpers().client(), location, uploadId);
    }

    /**
     * Aborts every unfinished multipart upload of the object at {@code location}: also one a killed run
     * created but had not recorded yet. Needs s3:ListBucketMultipartUploads; without it only what a caller
     * aborts by id ({@link #abandon}) is aborted, and this logs why.
     *
     * @return how many were aborted
     */
    public int abandonAll(String location) {
        S3Objects.Location at = S3Objects.Location.parse(location);
        List<MultipartUpload> uploads;
        try {
            uploads = inputs.objectsForHelpers().client()
                    .listMultipartUploads(b -> b.bucket(at.bucket()).prefix(at.key())).uploads();
        }
        catch (SdkException e) {
            String reason = e instanceof S3Exception s3 && s3.statusCode() == 403
                    ? "access denied (needs s3:ListBucketMultipartUploads on the bucket)" : reason(e, at);
            LOG.warn("could not list the unfinished multipart uploads of " + location + " (" + reason + "); only "
                    + "the one a stopped run recorded is aborted, the bucket's AbortIncompleteMultipartUpload "
                    + "lifecycle rule removes others");
            return 0;
        }
        int aborted = 0;
        for (MultipartUpload upload : uploads) {
            if (upload.key().equals(at.key()) && abandon(location, upload.uploadId())) {
                aborted++;
            }
        }
        return aborted;
    }

    static String reason(SdkException e, S3Objects.Location at) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code) || s3.statusCode() == 404 && code == null) {
                return "bucket " + at.bucket() + " does not exist";
            }
            if ("NoSuchUpload".equals(code)) {
                return "the multipart upload is gone (aborted, or removed by a lifecycle rule)";
            }
            if (s3.statusCode() == 403) {
                return "access denied (needs s3:PutObject on the object, and kms:GenerateDataKey on the key for "
                        + "SSE-KMS)";
            }
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        return "S3 cannot be reached: " + firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** SSE-S3 when {@code kmsKeyId} is null, else SSE-KMS with that key. */
    record Encryption(String kmsKeyId) {

        PutObjectRequest.Builder apply(PutObjectRequest.Builder request) {
            return kmsKeyId == null ? request.serverSideEncryption(ServerSideEncryption.AES256)
                    : request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
        }

        CreateMultipartUploadRequest.Builder apply(CreateMultipartUploadRequest.Builder request) {
            return kmsKeyId == null ? request.serverSideEncryption(ServerSideEncryption.AES256)
                    : request.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId);
        }
    }
}
