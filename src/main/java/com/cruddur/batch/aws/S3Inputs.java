package com.cruddur.batch.aws;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import com.cruddur.batch.input.InputFingerprint;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Input files given as {@code s3://bucket/key} instead of a path (and, through {@link #client}, the
 * export folders given as {@code s3://bucket/prefix}). The S3 client is built at the first
 * s3:// location a run is given, not at start-up: a run on local files never loads the S3 classes
 * ({@link S3Objects} holds everything that touches them).
 */
public class S3Inputs implements DisposableBean {

    public static final String SCHEME = "s3://";

    private final CruddurProperties properties;
    private final Environment environment;
    private final AwsEndpoints endpoints;
    private S3Objects objects;
    private S3Uploads uploads;

    public S3Inputs(CruddurProperties properties, Environment environment, AwsEndpoints endpoints) {
        this.properties = properties;
        this.environment = environment;
        this.endpoints = endpoints;
    }

    public static boolean isS3(String location) {
        return location != null && location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** The location as a Spring Resource: an S3 object (streamed by GetObject) or a local file. */
    public Resource resource(String location) {
        return isS3(location) ? objects().resource(location) : new FileSystemResource(location);
    }

    /**
     * Checks that an s3:// location names an object this run may read (HeadObject).
     *
     * @return null when readable, else one line naming the location and what is wrong
     */
    public String problemWith(String what, String location) {
        return objects().problemWith(what, location);
    }

    /** Size and ETag (and version id) of the object; see {@link S3Objects#fingerprint}. */
    public InputFingerprint fingerprint(String location) {
        return objects().fingerprint(location);
    }

    /**
     * For an InputGuard: the fingerprint of what a parameter names, a local file's (size + SHA-256) or an
     * S3 object's (size + ETag); null when the parameter is not given.
     */
    public Function<JobParameters, InputFingerprint> input(String parameter) {
        return parameters -> {
            String location = parameters.getString(parameter);
            if (location == null) {
                return null;
            }
            return isS3(location) ? fingerprint(location) : InputFingerprint.of(List.of(Path.of(location)));
        };
    }

    /**
     * The S3 client itself, for jobs that write objects or read a whole prefix (table-export and
     * table-import with {@code dir=s3://...}); built on first use, as for inputs.
     */
    public S3Client client() {
        return objects().client();
    }

    /**
     * What this run writes to S3 goes through this one {@link S3Uploads} (one encryption setting, one
     * multipart upload code); it shares this client.
     */
    public synchronized S3Uploads uploads() {
        if (uploads == null) {
            uploads = new S3Uploads(this, environment);
        }
        return uploads;
    }

    /** The one S3 client of the run, built now if not yet: for S3Uploads and S3Prefixes. */
    S3Objects objectsForHelpers() {
        return objects();
    }

    private synchronized S3Objects objects() {
        if (objects == null) {
            objects = new S3Objects(AwsEndpoints.s3(environment), endpoints, properties);
        }
        return objects;
    }

    @Override
    public synchronized void destroy() {
        if (objects != null) {
            objects.close();
        }
    }
}
