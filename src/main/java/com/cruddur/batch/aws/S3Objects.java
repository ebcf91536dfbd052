package com.cruddur.batch.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import com.cruddur.batch.input.InputFingerprint;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The S3 client and what the inputs do with it; built by {@link S3Inputs} at the first s3:// location. */
final class S3Objects {

    private final S3Client client;

    S3Objects(URI endpoint, AwsEndpoints endpoints, CruddurProperties properties) {
        boolean local = AwsEndpoints.isLoopback(endpoint);
        var builder = AwsClientsConfiguration.configure(S3Client.builder(), endpoint, endpoints, properties)
                .httpClientBuilder(TlsOnFirstUse.httpClient())
                // Local servers (s3rver, MinIO) answer at one host name, not at bucket.host.
                .forcePathStyle(endpoint != null);
        if (endpoint != null) {
            // Uploads (S3Uploads) as plain bodies signed whole: s3rver 3.7 does not decode the aws-chunked bodies
            // with checksum trailers that the SDK sends by default, and would store the chunk framing as content.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        }
        if (local) {
            // As for the other clients, the default chain first; s3rver, unlike dynalite, checks the key, and its
            // own (S3RVER/S3RVER) is the fallback on machines without AWS credentials.
            builder.credentialsProvider(AwsCredentialsProviderChain.builder()
                    .credentialsProviders(DefaultCredentialsProvider.builder().build(),
                            StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                    .build());
        }
        if (endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme())) {
            // Plain bodies over plain http: s3rver 3.7 stores the SDK's default aws-chunked framing (with its
            // checksum trailer) as the content of an upload. The SigV4 payload hash still covers every body.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        }
        client = builder.build();
    }

    S3Client client() {
        return client;
    }

    /** {@code s3://bucket/key} split; the key is everything after the bucket's slash. */
    record Location(String bucket, String key) {

        static Location parse(String location) {
            String rest = location.substring(S3Inputs.SCHEME.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException(location + " is not an object location; expected s3://bucket/key");
            }
            return new Location(rest.substring(0, slash), rest.substring(slash + 1));
        }
    }

    String problemWith(String what, String location) {
        Location at;
        try {
            at = Location.parse(location);
        }
        catch (IllegalArgumentException e) {
            return what + " " + e.getMessage();
        }
        if (at.key().endsWith("/")) {
            return what + " " + location + " is a prefix; give the object itself";
        }
        try {
            head(at);
            return null;
        }
        catch (S3Exception e) {
            return what + " " + location + ": " + reason(e, at);
        }
        catch (SdkException e) {
            return what + " " + location + ": cannot be read: " + e.getMessage();
        }
    }

    private String reason(S3Exception e, Location at) {
        return switch (e.statusCode()) {
            // HeadObject answers without a body, so a missing bucket and a missing key both are a bare 404.
            case 404 -> bucketExists(at.bucket()) ? "no such object" : "bucket " + at.bucket() + " does not exist";
            // Without s3:ListBucket, S3 answers 403 for a key that does not exist too.
            case 403 -> "access denied (needs s3:GetObject on the object, and s3:ListBucket on the bucket to tell "
                    + "a missing object from a forbidden one)";
            default -> "HTTP " + e.statusCode() + " " + e.awsErrorDetails().errorCode();
        };
    }

    private boolean bucketExists(String bucket) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return true;
        }
        catch (S3Exception e) {
            return e.statusCode() != 404;
        }
    }

    private HeadObjectResponse head(Location at) {
        return client.headObject(b -> b.bucket(at.bucket()).key(at.key()));
    }

    /**
     * Size and ETag (and version id, in a versioned bucket) from HeadObject, not a SHA-256 of the content: that
     * would download the whole object at every start and restart. Objects are never changed in place, only
     * replaced, and every replacement gets a new ETag (MD5 of the content for a single-part upload, a hash of
     * the parts' hashes for a multipart one) and a new version id: the same ETag and size is the same object.
     */
    InputFingerprint fingerprint(String location) {
        HeadObjectResponse head = head(Location.parse(location));
        return InputFingerprint.ofObject(head.contentLength(), head.eTag(), head.versionId());
    }

    Resource resource(String location) {
        Location at = Location.parse(location);
        return new AbstractResource() {
            @Override
            public InputStream getInputStream() throws IOException {
                // The response body, read as it arrives: the object is never held whole in memory or on disk.
                try {
                    return client.getObject(b -> b.bucket(at.bucket()).key(at.key()));
                }
                catch (SdkException e) {
                    throw new IOException("cannot read " + location + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean exists() {
                try {
                    head(at);
                    return true;
                }
                catch (SdkException e) {
                    return false;
                }
            }

            @Override
            public String getDescription() {
                return location;
            }

            @Override
            public String getFilename() {
                return at.key().substring(at.key().lastIndexOf('/') + 1);
            }
        };
    }

    void close() {
        client.close();
    }
}
