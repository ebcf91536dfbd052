package com.cruddur.batch.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.rejects.RejectsFile;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * The rejects of a partitioned replay. Each partition writes its own part, {@code <rejects>.parts/<partition>.csv}
 * (a local file, or an S3 object uploaded when the partition ends), emptied when the partition starts fresh
 * and appended to by its restarts, as a single step's rejects file is. When every partition has ended, the
 * manager joins the parts in partition order into the one rejects file (or object) the user reads, also after
 * a failed run, and removes the parts once the replay completed (a restart still needs the parts of the
 * partitions it does not run again).
 */
final class ReplayRejectsParts {

    private static final byte[] HEADER_LINE = (RejectsFile.HEADER + "\n").getBytes(StandardCharsets.UTF_8);

    private final String rejects;
    private final S3Inputs s3Inputs;
    private final S3Uploads s3Uploads;

    ReplayRejectsParts(String rejects, S3Inputs s3Inputs, S3Uploads s3Uploads) {
        this.rejects = rejects;
        this.s3Inputs = s3Inputs;
        this.s3Uploads = s3Uploads;
    }

    /** Where a partition writes its rejects, next to {@code rejects=}. */
    static String partLocation(String rejects, String partition) {
        return rejects + ".parts/" + partition + ".csv";
    }

    /**
     * Joins the parts into {@code rejects=}: a local file is replaced by the join in one move (removed when no
     * part holds a record, as no rejects file is made when nothing is rejected), an S3 object is uploaded
     * (empty when nothing was rejected).
     *
     * @param rejected the records the partitions counted as rejected: fewer lines found means parts this
     *                 process cannot see (a local rejects= with workers on other hosts)
     * @param completed the replay completed: the parts are removed
     * @return null when done, else one line saying what went wrong and where the parts are
     */
    String join(List<String> partitions, long rejected, boolean completed) {
        boolean s3 = S3Uploads.isS3(rejects);
        Path joined = null;
        try {
            Path target = s3 ? null : Path.of(rejects).toAbsolutePath();
            if (target != null && target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            // Created rw------- on POSIX systems, like the rejects files themselves.
            joined = target == null ? Files.createTempFile("message-group-replay-rejects-", ".csv")
                    : Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".tmp");
            long records = 0;
            try (OutputStream out = Files.newOutputStream(joined)) {
                for (String partition : partitions) {
                    records += append(part(partition), out, records == 0);
                }
            }
            if (records < rejected) {
                return rejected + " records rejected, " + records + " found in " + rejects + ".parts/: a partition "
                        + "could not write its part (see its step), or the parts are on another host (with remote "
                        + "workers, rejects= must be s3:// or a folder every worker and the manager see; a restart "
                        + "must keep the first run's rejects=)";
            }
            if (s3) {
                s3Uploads.upload(joined, rejects);
            }
            else if (records == 0) {
                Files.deleteIfExists(target);
            }
            else {
                Files.move(joined, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (completed) {
                removeParts(partitions);
            }
            return null;
        }
        catch (IOException | RuntimeException e) {
            return "cannot join the rejects of the partitions into " + rejects + ": " + e.getMessage()
                    + "; the partitions' rejects are kept in " + rejects + ".parts/";
        }
        finally {
            if (joined != null) {
                try {
                    Files.deleteIfExists(joined);
                }
                catch (IOException ignored) {
                    // a temp file left behind, owner-only
                }
            }
        }
    }

    private Resource part(String partition) {
        String location = partLocation(rejects, partition);
        return S3Uploads.isS3(location) ? s3Inputs.resource(location) : new FileSystemResource(location);
    }

    /** The part's records after its header line, the header once in front of the first; @return records copied */
    private static long append(Resource part, OutputStream out, boolean first) throws IOException {
        if (!part.exists()) {
            return 0;
        }
        try (InputStream in = new BufferedInputStream(part.getInputStream(), 1 << 16)) {
            in.mark(HEADER_LINE.length);
            byte[] start = in.readNBytes(HEADER_LINE.length);
            if (!Arrays.equals(start, HEADER_LINE)) {
                in.reset();
            }
            byte[] buffer = new byte[1 << 16];
            long records = 0;
            boolean headerWritten = !first;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (!headerWritten) {
                    out.write(HEADER_LINE);
                    headerWritten = true;
                }
                out.write(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        records++;
                    }
                }
            }
            return records;
        }
    }

    private void removeParts(List<String> partitions) throws IOException {
        if (S3Uploads.isS3(rejects)) {
            for (String partition : partitions) {
                String location = partLocation(rejects, partition).substring(S3Inputs.SCHEME.length());
                int slash = location.indexOf('/');
                s3Inputs.client().deleteObject(d -> d.bucket(location.substring(0, slash)).key(location.substring(slash + 1)));
            }
            return;
        }
        for (String partition : partitions) {
            Files.deleteIfExists(Path.of(partLocation(rejects, partition)));
        }
        Path folder = Path.of(rejects + ".parts");
        try {
            Files.deleteIfExists(folder);
        }
        catch (java.nio.file.DirectoryNotEmptyException keptBySomeoneElse) {
            // files not made by this replay: left alone
        }
    }
}
