package com.cruddur.batch.replay;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.input.StrictUtf8LineReader;
import org.springframework.batch.infrastructure.item.support.AbstractItemCountingItemStreamItemReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Change records from files, in the order given: JSON lines of stream records or export lines, and
 * Lambda event documents ({@code {"Records":[...]}}, one per line or one pretty-printed per file); each
 * plain or gzip (told by its magic bytes, not its name). A malformed line or a record without keys is
 * thrown as a {@link RejectedRecordException} naming file and line, which the step skips into the
 * rejects file. Restart position is the read count ({@code AbstractItemCountingItemStreamItemReader}).
 */
public class ChangeRecordFileReader extends AbstractItemCountingItemStreamItemReader<ChangeRecord> {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** First line of a pretty-printed event document: a lone brace, or the brace and "Records". */
    private static final Pattern EVENT_START = Pattern.compile("\\s*\\{\\s*(\"Records\"\\s*:.*)?");

    private final Supplier<List<ReplayFile>> fileList;
    private List<ReplayFile> files = List.of();
    private int fileIndex = -1;
    private StrictUtf8LineReader lines;
    private int lineNumber;
    /** Records of an event document still to be returned. */
    private final Deque<Object> pending = new ArrayDeque<>();

    /** @param files resolved when the reader opens, so a missing file fails the step, not its construction */
    public ChangeRecordFileReader(Supplier<List<ReplayFile>> files) {
        this.fileList = files;
        setName("replay-files");
    }

    @Override
    protected void doOpen() {
        files = List.copyOf(fileList.get());
        fileIndex = -1;
        lines = null;
    }

    @Override
    protected ChangeRecord doRead() throws Exception {
        while (true) {
            if (!pending.isEmpty()) {
                Object next = pending.poll();
                if (next instanceof RejectedRecordException rejected) {
                    throw rejected;
                }
                return (ChangeRecord) next;
            }
            if (lines == null && !nextFile()) {
                return null;
            }
            String line;
            try {
                line = lines.readLine();
            }
            catch (EOFException | ZipException e) {
                // The JDK's message ("Unexpected end of ZLIB input stream") names no file.
                throw new IllegalStateException(files.get(fileIndex).name() + ": not a whole gzip file ("
                        + e.getMessage() + ") after line " + lineNumber);
            }
            catch (IOException e) {
                // An S3 object's connection lost mid-read, a disk error: not chained, so that the one reason line
                // the launcher prints (a failure's root cause) names the file.
                IllegalStateException failure = new IllegalStateException(files.get(fileIndex).name()
                        + ": reading stopped after line " + lineNumber + " (" + e.getMessage() + ")");
                failure.addSuppressed(e);
                throw failure;
            }
            if (line == null) {
                closeFile();
                continue;
            }
            lineNumber++;
            String source = files.get(fileIndex).name() + ":" + lineNumber;
            if (lines.malformedAt() >= 0) {
                throw new RejectedRecordException(source, StrictUtf8LineReader.notUtf8(lines.malformedAt()), line);
            }
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            }
            catch (JacksonException e) {
                if (lineNumber == 1 && EVENT_START.matcher(line).matches()) {
                    // Looks like a pretty-printed Lambda event: the whole file is one document. Only then is
                    // the whole file read at once (event payloads are at most a few MB).
                    if (readWholeDocument(line)) {
                        continue;
                    }
                }
                throw new RejectedRecordException(source, "malformed JSON" + DynamoDbJson.column(e), line);
            }
            if (ChangeRecordJson.isEvent(node)) {
                queueEvent(source, node, line);
                continue;
            }
            try {
                return ChangeRecordJson.parse(source, node);
            }
            catch (IllegalArgumentException e) {
                throw new RejectedRecordException(source, e.getMessage(), line);
            }
        }
    }

    /** On restart, skipped positions include rejected lines; they must be passed over, not re-thrown. */
    @Override
    protected void jumpToItem(int itemIndex) throws Exception {
        for (int i = 0; i < itemIndex; i++) {
            try {
                if (doRead() == null) {
                    return;
                }
            }
            catch (RejectedRecordException alreadyRejected) {
                // written to the rejects file by the run that read it
            }
        }
    }

    private boolean readWholeDocument(String firstLine) throws IOException {
        StringBuilder text = new StringBuilder(firstLine).append('\n');
        String line;
        boolean valid = true;
        while ((line = lines.readLine()) != null) {
            valid &= lines.malformedAt() < 0;
            text.append(line).append('\n');
        }
        if (!valid) {
            // Then line by line, so the bad line is rejected by number.
            afterFirstLine();
            return false;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text.toString());
        }
        catch (JacksonException e) {
            // Not a document either: reopen and reject line by line.
            afterFirstLine();
            return false;
        }
        if (!ChangeRecordJson.isEvent(node)) {
            afterFirstLine();
            return false;
        }
        queueEvent(files.get(fileIndex).name(), node, null);
        return true;
    }

    private void queueEvent(String source, JsonNode event, String line) {
        List<JsonNode> records;
        try {
            records = ChangeRecordJson.eventRecords(event);
        }
        catch (IllegalArgumentException e) {
            pending.add(new RejectedRecordException(source, e.getMessage(), line));
            return;
        }
        for (int i = 0; i < records.size(); i++) {
            String recordSource = source + " record " + (i + 1);
            try {
                pending.add(ChangeRecordJson.parse(recordSource, records.get(i)));
            }
            catch (IllegalArgumentException e) {
                pending.add(new RejectedRecordException(recordSource, e.getMessage(), records.get(i).toString()));
            }
        }
    }

    private boolean nextFile() throws IOException {
        if (fileIndex + 1 >= files.size()) {
            return false;
        }
        fileIndex++;
        try {
            reopenCurrent();
        }
        catch (IOException e) {
            IllegalStateException failure = new IllegalStateException(files.get(fileIndex).name()
                    + ": cannot be opened (" + e.getMessage() + ")");
            failure.addSuppressed(e);
            throw failure;
        }
        return true;
    }

    /** Back to the line after the first, which the caller rejects: the next line read is line 2. */
    private void afterFirstLine() throws IOException {
        reopenCurrent();
        lines.readLine();
        lineNumber = 1;
    }

    private void reopenCurrent() throws IOException {
        if (lines != null) {
            lines.close();
        }
        // Strict UTF-8, line by line: a bad byte rejects its line instead of becoming U+FFFD.
        lines = new StrictUtf8LineReader(open(files.get(fileIndex)));
        lineNumber = 0;
    }

    /** gzip when the file starts with the gzip magic bytes, whatever its name. */
    static InputStream open(ReplayFile file) throws IOException {
        InputStream in = new BufferedInputStream(file.resource().getInputStream(), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private void closeFile() throws IOException {
        if (lines != null) {
            lines.close();
            lines = null;
        }
    }

    @Override
    protected void doClose() throws Exception {
        closeFile();
        pending.clear();
    }
}
