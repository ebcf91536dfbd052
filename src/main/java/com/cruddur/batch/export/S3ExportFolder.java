package com.cruddur.batch.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3UploadStream;
import com.cruddur.batch.aws.S3Uploads;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An export folder given as {@code s3://bucket/prefix}: the manifest is {@code prefix/manifest.json}, the
 * data objects {@code prefix/data/segment-....json[.gz]}, as the files of a local folder. Every failure is
 * one line naming the location and what is wrong (the SDK's own messages name neither).
 */
final class S3ExportFolder {

    /** S3's rule for bucket names (3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    final String bucket;
    final String prefix;

    private S3ExportFolder(String bucket, String prefix) {
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** The {@code dir=} check of table-export and table-import: a local path, or a usable s3:// location. */
    static String dirProblem(String dir) {
        return S3Inputs.isS3(dir) ? syntaxProblem(dir) : null;
    }

    /** Null when {@code dir} is a usable {@code s3://bucket/prefix}, else what is wrong with it. */
    static String syntaxProblem(String dir) {
        String rest = dir.substring(S3Inputs.SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
        if (bucket.isEmpty()) {
            return "expected s3://bucket/prefix; no bucket given";
        }
        if (!BUCKET.matcher(bucket).matches()) {
            return "expected s3://bucket/prefix; '" + bucket + "' is not a bucket name (3-63 characters of a-z 0-9 . -)";
        }
        if (prefix.isEmpty()) {
            return "expected s3://bucket/prefix; give a prefix (a folder of its own for this export), not the "
                    + "bucket's root";
        }
        for (String part : prefix.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "expected s3://bucket/prefix; the prefix may not hold empty, '.' or '..' parts";
            }
        }
        return null;
    }

    static S3ExportFolder parse(String dir) {
        String problem = syntaxProblem(dir);
        if (problem != null) {
            throw new IllegalArgumentException("dir=" + dir + ": " + problem);
        }
        String rest = dir.substring(S3Inputs.SCHEME.length());
        int slash = rest.indexOf('/');
        return new S3ExportFolder(rest.substring(0, slash), rest.substring(slash + 1).replaceAll("/+$", ""));
    }

    /** {@code s3://bucket/key} as bucket and key. */
    static String[] bucketAndKey(String location) {
        String rest = location.substring(S3Inputs.SCHEME.length());
        int slash = rest.indexOf('/');
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    /** The key of a file of the export, e.g. {@code data/segment-0000-of-0008.json}. */
    String key(String relative) {
        return prefix + "/" + relative;
    }

    String location(String relative) {
        return S3Inputs.SCHEME + bucket + "/" + key(relative);
    }

    @Override
    public String toString() {
        return S3Inputs.SCHEME + bucket + "/" + prefix;
    }

    /**
     * Refuses a bucket that does not exist or may not be listed, and a prefix that holds a manifest or any
     * data object already (of an earlier export, finished or not). Reads only: nothing is written.
     */
    void checkNewExport(S3Client s3) {
        checkBucket(s3, "nothing was exported");
        String manifest = key(ExportManifest.FILE_NAME);
        try {
            s3.headObject(r -> r.bucket(bucket).key(manifest));
            throw new IllegalStateException(this + " already holds an export (" + ExportManifest.FILE_NAME
                    + "); choose another dir= or remove it");
        }
        catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("cannot read " + location(ExportManifest.FILE_NAME) + ": "
                        + reason(e, "s3:GetObject on the prefix") + "; nothing was exported", e);
            }
        }
        catch (SdkException e) {
            throw failure(this + ": " + e.getMessage() + "; nothing was exported", e);
        }
        ListObjectsResponse data;
        try {
            // ListObjects (v1): its truncated answer is a plain marker, where s3rver 3.7 fails to make a
            // ListObjectsV2 continuation token on current Node.js (DES cipher) and answers InternalError.
            data = s3.listObjects(r -> r.bucket(bucket).prefix(key("data/")).maxKeys(1));
        }
        catch (SdkException e) {
            throw failure("cannot list " + this + "/data/: " + reason(e, "s3:ListBucket on the bucket")
                    + "; nothing was exported", e);
        }
        for (S3Object object : data.contents()) {
            throw new IllegalStateException(this + " already holds " + object.key().substring(prefix.length() + 1)
                    + " (of another export); choose another dir= or remove it");
        }
    }

    /** HeadBucket: a missing bucket and one this run may not use are told apart. */
    void checkBucket(S3Client s3, String consequence) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw failure("bucket " + bucket + " (of dir=" + this + ") does not exist; " + consequence, e);
            }
            throw failure("bucket " + bucket + " (of dir=" + this + "): " + reason(e, "s3:ListBucket on the bucket")
                    + "; " + consequence, e);
        }
        catch (SdkException e) {
            throw failure(this + ": " + e.getMessage() + "; " + consequence, e);
        }
    }

    /**
     * The manifest last: a single PutObject (it is far smaller than a part), so a reader sees no manifest or
     * a whole one; encrypted as every upload.
     */
    void putManifest(S3Uploads uploads, String json) {
        try (S3UploadStream out = uploads.open(location(ExportManifest.FILE_NAME), "application/json",
                S3UploadStream.DEFAULT_PART_SIZE)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
            out.complete();
        }
        catch (IOException e) {
            throw failure(e.getMessage(), e);
        }
    }

    /** Size of a data object; refuses one that is missing. */
    long size(S3Client s3, String relative) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key(relative)));
            return head.contentLength();
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw failure(location(relative) + " is missing", e);
            }
            throw failure("cannot read " + location(relative) + ": " + reason(e, "s3:GetObject on the prefix"), e);
        }
        catch (SdkException e) {
            throw failure("cannot read " + location(relative) + ": " + e.getMessage(), e);
        }
    }

    ExportManifest readManifest(S3Client s3) {
        String location = location(ExportManifest.FILE_NAME);
        try (InputStream in = open(s3, ExportManifest.FILE_NAME)) {
            if (in == null) {
                checkBucket(s3, "nothing was imported");
                throw new IllegalStateException("no " + ExportManifest.FILE_NAME + " in " + this
                        + ": not a table-export folder, or the export did not finish");
            }
            return ExportManifest.readFrom(in, location);
        }
        catch (IOException e) {
            throw failure("cannot read " + location + ": " + e.getMessage(), e);
        }
    }

    /**
     * The object's content as it arrives (GetObject), or null when there is no such key.
     *
     * @param relative a path checked by {@link ExportChecks#relativePath}
     */
    InputStream open(S3Client s3, String relative) {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(key(relative)));
        }
        catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return null;
            }
            if (e.statusCode() == 404) {
                throw failure("bucket " + bucket + " (of dir=" + this + ") does not exist; nothing was imported", e);
            }
            throw failure("cannot read " + location(relative) + ": " + reason(e, "s3:GetObject on the prefix"), e);
        }
        catch (SdkException e) {
            throw failure("cannot read " + location(relative) + ": " + e.getMessage(), e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** In words, with the permission to check when S3 refused. */
    static String reason(SdkException e, String permission) {
        if (e instanceof S3Exception s3) {
            if (s3.statusCode() == 403) {
                return "access denied (needs " + permission + ")";
            }
            String code = errorCode(s3);
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        return e.getMessage();
    }

    /** No cause, as in {@link ExportChecks}: the run's reason line is the deepest cause's message. */
    static IllegalStateException failure(String message, Exception original) {
        IllegalStateException thrown = new IllegalStateException(message);
        thrown.addSuppressed(original);
        return thrown;
    }
}
