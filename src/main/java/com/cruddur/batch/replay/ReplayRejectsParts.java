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
 * The rejects of a partitioned replay. Each partition writes its own part,
 * {@code <rejects>.parts/<job instance id>/<partition>.csv} (a local file, or an S3 object put at each commit),
 * emptied when the partition starts fresh and appended to by its restarts, as a single step's rejects file is.
 * The instance id keeps apart the parts of replays given the same {@code rejects=}. Where a partition's part
 * is stays in its ExecutionContext ({@link #PART}): its restarts write there and the manager joins from there,
 * also when a restart is given another {@code rejects=}. When every partition has ended, the manager joins the
 * parts in partition order into the one rejects file (or object) the user reads, also after a failed run, and
 * removes the parts once the replay completed (a restart still needs the parts of the partitions it does not
 * run again).
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

    /** In a partition's ExecutionContext: where its rejects part is, set when it first starts. */
    static final String PART = "rejects.part";

    /** Where a partition of a job instance writes its rejects when it first starts, next to {@code rejects=}. */
    static String partLocation(String rejects, long jobInstanceId, String partition) {
        return rejects + ".parts/" + jobInstanceId + "/" + partition + ".csv";
    }

    /**
     * Joins the parts into {@code rejects=}: a local file is replaced by the join in one move (removed when no
     * part holds a record, as no rejects file is made when nothing is rejected), an S3 object is uploaded
     * (empty when nothing was rejected).
     *
     * @param parts the location of each partition's part, in partition order
     * @param rejected the records the partitions counted as rejected: fewer lines found means parts this
     *                 process cannot see (a local rejects= with workers on other hosts); more is no error: a
     *                 failed partition's part keeps the records of the chunk it did not commit, as its step's
     *                 rejects file does
     * @param completed the replay completed: the parts are removed
     * @return null when done, else one line saying what went wrong and where the parts are
     */
    String join(List<String> parts, long rejected, boolean completed) {
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
                for (String part : parts) {
                    records += append(part(part), out, records == 0);
                }
            }
            if (records < rejected) {
                return rejected + " records rejected, " + records + " found in the parts " + folders(parts)
                        + ": a partition could not write its part (see its step), or the parts are on another host "
                        + "(with remote workers, rejects= must be s3:// or a folder every worker and the manager "
                        + "see)";
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
                removeParts(parts);
            }
            return null;
        }
        catch (IOException | RuntimeException e) {
            return "cannot join the rejects of the partitions into " + rejects + ": " + e.getMessage()
                    + "; the partitions' rejects are kept in " + folders(parts);
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

    /** The folders holding the parts, for messages. */
    private static String folders(List<String> parts) {
        return String.join(", ", parts.stream().map(part -> part.substring(0, part.lastIndexOf('/') + 1))
                .distinct().toList());
    }

    private Resource part(String location) {
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

    private void removeParts(List<String> parts) throws IOException {
        for (String part : parts) {
            if (S3Uploads.isS3(part)) {
                s3Uploads.delete(part);
                continue;
            }
            Path file = Path.of(part);
            Files.deleteIfExists(file);
            // The instance's folder, then <rejects>.parts, once empty.
            deleteIfEmpty(file.getParent());
            deleteIfEmpty(file.getParent().getParent());
        }
    }

    private static void deleteIfEmpty(Path folder) throws IOException {
        try {
            Files.deleteIfExists(folder);
        }
        catch (java.nio.file.DirectoryNotEmptyException keptBySomeoneElse) {
            // other parts, or files not made by this replay: left alone
        }
    }
}
