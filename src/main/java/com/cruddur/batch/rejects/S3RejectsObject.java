package com.cruddur.batch.rejects;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.core.io.Resource;

/**
 * A rejects file at {@code s3://bucket/key} that follows the step's commits, so that a process killed
 * with kill -9 loses none of the rows its committed chunks rejected. The rows go to an owner-only temp
 * file (a {@link RejectsFile}); {@link #update} runs in each chunk's transaction before the commit: it
 * puts the whole file (PutObject, rejects are few) when it grew since the last put and saves in the
 * step's context how many of its bytes and rows the commit covers. A restart ({@link #open}) takes the
 * object's first committed bytes back into its temp file: rows a killed run put for a chunk it did not
 * commit are dropped there (the restart reads that chunk again and rejects them again) and the object is
 * put again, so it holds every row once, as after a run that was not interrupted.
 * <p>
 * Registered as a stream before the step's reader: a put that fails fails the chunk before the reader has
 * saved its new position, so the saved state never covers rows that S3 does not hold.
 */
public final class S3RejectsObject {

    private static final String LOCATION = "rejects.s3.location";
    private static final String BYTES = "rejects.s3.bytes";
    private static final String ROWS = "rejects.s3.rows";

    private final RejectsFile file;
    private final boolean checkpointBehind;
    private final S3Inputs inputs;
    private final S3Uploads uploads;
    private final String location;
    /** Rows of the object saved by earlier runs of the step (kept in the temp file from its start). */
    private long earlierRows;
    /** Bytes of the temp file that S3 holds. */
    private long putBytes;
    /** The object may hold what the temp file does not (an uncommitted chunk's rows): put it even unchanged. */
    private boolean replace;
    /** Size and rows at the previous update, for a step whose reader saves the position of the commit before. */
    private long previousBytes;
    private long previousRows;
    /** The earlier rows could not be taken back: nothing may be put, lest it replace them. */
    private boolean unusable;

    /**
     * @param location the object to write
     * @param tempPrefix the name of the temp file starts with it
     * @param checkpointBehind the step's reader saves, at each commit, its position of the previous commit
     *        (CheckpointBehindReader): the rows saved as committed then lag by one chunk as well
     */
    public S3RejectsObject(String location, String tempPrefix, boolean checkpointBehind, S3Inputs inputs,
            S3Uploads uploads) {
        this.location = location;
        this.checkpointBehind = checkpointBehind;
        this.inputs = inputs;
        this.uploads = uploads;
        try {
            // Created rw------- on POSIX systems, as RejectsFile creates its files; empty until the first reject.
            this.file = new RejectsFile(Files.createTempFile(tempPrefix, ".csv"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp file for the rejects of " + location, e);
        }
    }

    public RejectsFile file() {
        return file;
    }

    /** The object written to. */
    public String location() {
        return location;
    }

    /** Rows the object holds once published: those of earlier runs' commits and this run's. */
    public long rows() {
        return earlierRows + file.count();
    }

    /** Of {@link #rows()}, those rejected by earlier runs of the step. */
    public long earlierRows() {
        return earlierRows;
    }

    /** The object an earlier run of the step wrote to, from the step's context; null on a fresh start. */
    public static String earlierLocation(ExecutionContext context) {
        return context.containsKey(LOCATION) ? context.getString(LOCATION) : null;
    }

    /**
     * At the step's start: on a restart, takes back the rows its earlier runs committed, from the object they
     * wrote to ({@link #earlierLocation}; another one when the restart was given another location).
     *
     * @return false when the context holds no rejects state (a fresh start)
     */
    public boolean open(ExecutionContext context) {
        String earlier = earlierLocation(context);
        if (earlier == null) {
            return false;
        }
        long committed = context.getLong(BYTES, 0);
        long committedRows = context.getLong(ROWS, 0);
        Resource object = inputs.resource(earlier);
        if (committed == 0) {
            // A killed run may have put the rows of a chunk it did not commit.
            replace = earlier.equals(location) && object.exists();
        }
        else {
            // Into the owner-only temp file as it is: a copy that replaced it would get the default permissions.
            unusable = true;
            long copied;
            try (InputStream in = object.getInputStream();
                    OutputStream out = Files.newOutputStream(file.path(), StandardOpenOption.TRUNCATE_EXISTING)) {
                copied = copy(in, out, committed);
            }
            catch (IOException e) {
                throw new ItemStreamException("cannot read the rejects of the earlier run from " + earlier + ": "
                        + e.getMessage() + "; put the object back to restart");
            }
            if (copied < committed) {
                throw new ItemStreamException(earlier + " holds " + copied + " bytes, fewer than the " + committed
                        + " its earlier run committed (" + committedRows + " rejected row(s)): it was replaced or "
                        + "removed since; put it back to restart");
            }
            unusable = false;
            // The same object may hold an uncommitted chunk's rows after the committed ones: replaced at the
            // next put. Another object gets the committed rows at the first update.
            replace = earlier.equals(location);
            putBytes = earlier.equals(location) ? committed : 0;
        }
        earlierRows = committedRows;
        previousBytes = committed;
        previousRows = committedRows;
        return true;
    }

    /** Before each commit: puts the rows so far when there are new ones, saves what the commit covers. */
    public void update(ExecutionContext context) {
        long bytes = size();
        if (bytes > putBytes) {
            try {
                put(bytes);
            }
            catch (IOException e) {
                // Where the rows are kept is said when the step ends, after its last try (publish).
                throw new ItemStreamException(e.getMessage(), e);
            }
        }
        long rows = rows();
        context.putString(LOCATION, location);
        context.putLong(BYTES, checkpointBehind ? previousBytes : bytes);
        context.putLong(ROWS, checkpointBehind ? previousRows : rows);
        previousBytes = bytes;
        previousRows = rows;
    }

    /**
     * When the step ends: puts what S3 does not hold yet (rows of a chunk that failed, or an object a restart
     * must replace), then removes the temp file; kept when the put fails. Puts nothing when {@link #open}
     * could not take back the earlier rows.
     *
     * @param evenEmpty put an empty object when nothing was rejected (else none is made)
     */
    public void publish(boolean evenEmpty) throws IOException {
        file.close();
        long bytes = size();
        if (!unusable && (bytes > putBytes || replace || evenEmpty && bytes == 0)) {
            put(bytes);
        }
        Files.deleteIfExists(file.path());
    }

    /** The temp file, where the rows stay when an upload fails. */
    public Path tempFile() {
        return file.path();
    }

    private void put(long bytes) throws IOException {
        if (!Files.exists(file.path())) {
            Files.createFile(file.path()); // nothing rejected: an empty object
        }
        uploads.upload(file.path(), location);
        putBytes = bytes;
        replace = false;
    }

    private long size() {
        try {
            return Files.exists(file.path()) ? Files.size(file.path()) : 0;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + file.path(), e);
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[8192];
        long copied = 0;
        while (copied < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }
}
