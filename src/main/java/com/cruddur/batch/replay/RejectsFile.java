package com.cruddur.batch.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

/**
 * Skipped records, one tab-separated line each: source (file:line or shard@sequence), reason, the
 * rejected text. Emptied when a run starts fresh, appended to by its restarts.
 */
public class RejectsFile implements SkipListener<ChangeRecord, GroupUpdate>, ItemStream {

    private static final String STARTED = "rejects.started";

    private final Path path;
    private final ReplayCounters counters;

    public RejectsFile(Path path, ReplayCounters counters) {
        this.path = path;
        this.counters = counters;
    }

    public Path path() {
        return path;
    }

    @Override
    public void open(ExecutionContext context) {
        if (!context.containsKey(STARTED)) {
            try {
                Files.deleteIfExists(path);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot reset rejects file " + path, e);
            }
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(STARTED, "true");
    }

    @Override
    public void onSkipInRead(Throwable t) {
        write(t, null);
    }

    @Override
    public void onSkipInProcess(ChangeRecord item, Throwable t) {
        write(t, item);
    }

    private synchronized void write(Throwable t, ChangeRecord item) {
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
            reason = String.valueOf(t.getMessage());
            raw = "";
        }
        counters.increment(ReplayCounters.REJECTED);
        String line = source + "\t" + reason.replace('\t', ' ').replace('\n', ' ') + "\t"
                + raw.replace('\n', ' ') + "\n";
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write rejects file " + path, e);
        }
    }
}
