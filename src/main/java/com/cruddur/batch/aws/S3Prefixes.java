package com.cruddur.batch.aws;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The objects under a prefix ({@code s3://bucket/prefix/}), listed with ListObjectsV2 (all pages), for inputs
 * that may be "a folder" of objects. S3 has no folders: every object whose key starts with the prefix is
 * listed, at any depth, in key order (UTF-8 byte order, as S3 lists them). Keys ending in {@code /} (the
 * empty "folder" objects some consoles create) are left out.
 */
public final class S3Prefixes {

    /** One listed object: its s3:// location, size and ETag (as HeadObject would give them). */
    public record Listed(String location, long size, String eTag) {
    }

    private final S3Inputs inputs;

    public S3Prefixes(S3Inputs inputs) {
        this.inputs = inputs;
    }

    /** True for a location that names a prefix: it ends with {@code /} ({@code s3://bucket/} = the whole bucket). */
    public static boolean isPrefix(String location) {
        return S3Inputs.isS3(location) && location.endsWith("/");
    }

    /** The objects under {@code prefix} in key order; empty when there are none. */
    public List<Listed> list(String prefix) {
        String[] at = split(prefix);
        List<Listed> listed = new ArrayList<>();
        for (S3Object object : inputs.objectsForHelpers().client()
                .listObjectsV2Paginator(b -> b.bucket(at[0]).prefix(at[1])).contents()) {
            if (!object.key().endsWith("/")) {
                listed.add(new Listed(S3Inputs.SCHEME + at[0] + "/" + object.key(), object.size(), object.eTag()));
            }
        }
        return listed;
    }

    /**
     * Checks a prefix before a job reads it: the bucket exists, the listing is allowed, something is there.
     *
     * @return null when there is at least one object, else one line naming the prefix and what is wrong
     */
    public String problemWith(String what, String prefix) {
        String[] at = split(prefix);
        if (at[0].isEmpty()) {
            return what + " " + prefix + " names no bucket; expected s3://bucket/prefix/";
        }
        try {
            return list(prefix).isEmpty() ? what + " " + prefix + ": no objects under this prefix" : null;
        }
        catch (S3Exception e) {
            return what + " " + prefix + ": " + switch (e.statusCode()) {
                case 404 -> "bucket " + at[0] + " does not exist";
                case 403 -> "access denied (listing a prefix needs s3:ListBucket on the bucket)";
                default -> "HTTP " + e.statusCode();
            };
        }
        catch (SdkException e) {
            return what + " " + prefix + ": cannot be read: " + e.getMessage();
        }
    }

    /**
     * For a location given without its trailing slash that is no object: whether objects exist under it as a
     * prefix (then the user probably meant the "folder"). False when that cannot be listed.
     */
    public boolean isFolder(String location) {
        try {
            return !location.endsWith("/") && !list(location + "/").isEmpty();
        }
        catch (SdkException e) {
            return false;
        }
    }

    /** bucket and key prefix of {@code s3://bucket/prefix} (the prefix may be empty). */
    private static String[] split(String location) {
        String rest = location.substring(S3Inputs.SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new String[] { rest, "" } : new String[] { rest.substring(0, slash), rest.substring(slash + 1) };
    }
}
