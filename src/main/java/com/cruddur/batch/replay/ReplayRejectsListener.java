package com.cruddur.batch.replay;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.rejects.RejectsFile;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * Writes skipped records to the {@link RejectsFile} given by {@code rejects=}: source (the file, or
 * {@code shard@sequence} for the stream), line, reason, the rejected text. Emptied when a run starts
 * fresh, appended to by its restarts.
 */
public class ReplayRejectsListener implements SkipListener<ChangeRecord, GroupUpdate>, ItemStream {

    private static final String STARTED = "rejects.started";
    /** A record's source is {@code file:line} for a line of a file. */
    private static final Pattern FILE_LINE = Pattern.compile("(.*):(\\d+)");

    private final RejectsFile rejects;
    private final ReplayCounters counters;

    public ReplayRejectsListener(Path path, ReplayCounters counters) {
        this.rejects = new RejectsFile(path);
        this.counters = counters;
    }

    public Path path() {
        return rejects.path();
    }

    @Override
    public void open(ExecutionContext context) {
        if (!context.containsKey(STARTED)) {
            rejects.delete();
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(STARTED, "true");
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
