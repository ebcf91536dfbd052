package com.cruddur.batch.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.rejects.S3RejectsObject;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.core.io.Resource;

/**
 * Writes skipped records to the {@link RejectsFile} given by {@code rejects=}: source (the file, or
 * {@code shard@sequence} for the stream), line, reason, the rejected text. Emptied when a run starts
 * fresh, appended to by its restarts.
 * <p>
 * {@code rejects=s3://bucket/key}: the records go to an owner-only temp file, which an {@link S3RejectsObject}
 * puts with server-side encryption at each commit that added records and when the step ends, whether it
 * completed or failed ({@link #publish()}, called by the step's summary), then removes. The object is
 * written at the end of every run, empty when nothing was rejected; a restart takes back the records its
 * earlier runs committed and writes on, so the object holds each record once, also after a kill -9.
 */
public class ReplayRejectsListener implements SkipListener<ChangeRecord, GroupUpdate>, ItemStream {

    private static final String STARTED = "rejects.started";
    /** A record's source is {@code file:line} for a line of a file. */
    private static final Pattern FILE_LINE = Pattern.compile("(.*):(\\d+)");

    private final RejectsFile rejects;
    private final ReplayCounters counters;
    private final String location;
    private final S3Inputs s3Inputs;
    private final S3RejectsObject object;

    public ReplayRejectsListener(Path path, ReplayCounters counters) {
        this.rejects = new RejectsFile(path);
        this.counters = counters;
        this.location = path.toString();
        this.s3Inputs = null;
        this.object = null;
    }

    /** For {@code s3://bucket/key}: written to a temp file, uploaded by {@link #publish()}. */
    public ReplayRejectsListener(String location, ReplayCounters counters, S3Inputs s3Inputs, S3Uploads s3Uploads) {
        this.object = new S3RejectsObject(location, "message-group-replay-rejects-", false, s3Inputs, s3Uploads);
        this.rejects = object.file();
        this.counters = counters;
        this.location = location;
        this.s3Inputs = s3Inputs;
    }

    /** Where the rejects end up, as given. */
    public String location() {
        return location;
    }

    @Override
    public void open(ExecutionContext context) {
        if (!context.containsKey(STARTED)) {
            rejects.delete();
        }
        else if (object != null && !object.open(context)) {
            appendToEarlierRun();
        }
    }

    /**
     * A restart of a run that saved no rejects state (one of an earlier version) adds to the object its
     * earlier run uploaded (when there is one).
     */
    private void appendToEarlierRun() {
        Resource earlier = s3Inputs.resource(location);
        if (!earlier.exists()) {
            return;
        }
        // Into the owner-only temp file as it is: a copy that replaced it would get the default permissions.
        try (InputStream in = earlier.getInputStream();
                OutputStream out = Files.newOutputStream(rejects.path(), StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(out);
        }
        catch (IOException e) {
            throw new ItemStreamException("cannot read the rejects of the earlier run from " + location + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(STARTED, "true");
        if (object != null) {
            object.update(context);
        }
    }

    /**
     * For an S3 location: uploads the rejects (SSE) and removes the temp file. Nothing to do for a local file.
     *
     * @return null when done, else one line saying what failed and where the records are kept instead
     */
    public String publish() {
        rejects.close();
        if (object == null) {
            return null;
        }
        try {
            // Nothing rejected: an empty object replaces an earlier run's.
            object.publish(true);
            return null;
        }
        catch (IOException | RuntimeException e) {
            return e.getMessage() + "; the rejected records are kept in " + object.tempFile();
        }
    }

    @Override
    public void close() {
        rejects.close();
    }

    @Override
    public void onSkipInRead(Throwable t) {
        write(t, null);
    }

    @Override
    public void onSkipInProcess(ChangeRecord item, Throwable t) {
        write(t, item);
    }

    private void write(Throwable t, ChangeRecord item) {
        String source;
        String reason;
        String raw;
        if (t instanceof RejectedRecordException rejected) {
            source = rejected.source();
            reason = rejected.reason();
            raw = rejected.raw() != null ? rejected.raw() : item == null ? "" : String.valueOf(item.keys());
        }
        else {
            source = item == null ? "?" : item.source();
            reason = RejectsFile.reasonOf(t);
            raw = "";
        }
        counters.increment(ReplayCounters.REJECTED);
        Matcher fileLine = FILE_LINE.matcher(source);
        if (fileLine.matches()) {
            rejects.write(fileLine.group(1), Long.parseLong(fileLine.group(2)), reason, raw);
        }
        else {
            rejects.write(source, 0, reason, raw);
        }
    }
}
