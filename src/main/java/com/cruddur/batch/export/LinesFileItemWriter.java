package com.cruddur.batch.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import org.springframework.batch.infrastructure.item.file.transform.LineAggregator;

/**
 * Writes one line per item to a file, plain or gzip, and on restart cuts the file back to the end of
 * the last committed chunk, so nothing is written twice.
 * <p>
 * Spring Batch's FlatFileItemWriter does the same for plain text but cannot compress. Here every chunk
 * becomes one complete gzip member: a file of concatenated members is a valid gzip file (RFC 1952;
 * gzip, zcat, Java's GZIPInputStream and AWS's ImportTable read it), and the end of each member is a
 * byte offset that can be saved in the ExecutionContext and truncated back to.
 */
public class LinesFileItemWriter<T> extends ItemStreamSupport implements ItemStreamWriter<T> {

    private static final String POSITION = "position";
    private static final int INITIAL_BUFFER = 64 * 1024;
    /** Beyond this a chunk's buffer is not kept for the next chunk: items may be up to 400 KB each. */
    private static final int KEPT_BUFFER = 4 * 1024 * 1024;
    static final String LINES = "lines";

    private final Path file;
    private final boolean gzip;
    private final LinesEncoder<T> encoder;
    private final String header;
    /** The chunk's bytes, reused from chunk to chunk (dropped after an unusually large chunk, see write). */
    private Buffer text = new Buffer(INITIAL_BUFFER);
    private Buffer compressed = new Buffer(INITIAL_BUFFER);

    private FileChannel channel;
    private long lines;

    /** @param header first line of a fresh file (e.g. CSV column names), or null */
    public LinesFileItemWriter(String name, Path file, boolean gzip, LineAggregator<T> lineAggregator, String header) {
        this(name, file, gzip, LinesEncoder.of(lineAggregator), header);
    }

    /** @param header first line of a fresh file (e.g. CSV column names), or null */
    LinesFileItemWriter(String name, Path file, boolean gzip, LinesEncoder<T> encoder, String header) {
        setName(name);
        this.file = file;
        this.gzip = gzip;
        this.encoder = encoder;
        this.header = header;
    }

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        try {
            long committed = context.getLong(getExecutionContextKey(POSITION), -1L);
            if (committed >= 0) {
                if (!Files.exists(file)) {
                    throw new ItemStreamException("cannot restart: output file " + file + " is gone");
                }
                channel = FileChannel.open(file, StandardOpenOption.WRITE);
                if (channel.size() < committed) {
                    throw new ItemStreamException("cannot restart: output file " + file + " is shorter ("
                            + channel.size() + " bytes) than its last committed position (" + committed + ")");
                }
                // Drop what a killed or failed run wrote after its last commit.
                channel.truncate(committed);
                channel.position(committed);
                lines = context.getLong(getExecutionContextKey(LINES), 0L);
            }
            else {
                Files.createDirectories(file.toAbsolutePath().getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                lines = 0;
                if (header != null) {
                    text.reset();
                    text.write((header + "\n").getBytes(StandardCharsets.UTF_8));
                    append();
                }
            }
        }
        catch (IOException e) {
            throw new ItemStreamException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        text.reset();
        encoder.encode(chunk, text);
        append();
        lines += chunk.size();
        if (text.capacity() > KEPT_BUFFER) {
            text = new Buffer(INITIAL_BUFFER);
        }
        if (compressed.capacity() > KEPT_BUFFER) {
            compressed = new Buffer(INITIAL_BUFFER);
        }
    }

    /** Writes the buffered text to the file, as one gzip member when compressing. */
    private void append() throws IOException {
        Buffer bytes = text;
        if (gzip) {
            compressed.reset();
            try (OutputStream member = new GZIPOutputStream(compressed, 64 * 1024)) {
                text.writeTo(member);
            }
            bytes = compressed;
        }
        ByteBuffer buffer = bytes.asByteBuffer();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** A byte array stream whose content can be written out without copying it first. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        int capacity() {
            return buf.length;
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        if (channel == null) {
            return;
        }
        try {
            context.putLong(getExecutionContextKey(POSITION), channel.position());
            context.putLong(getExecutionContextKey(LINES), lines);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws ItemStreamException {
        if (channel != null) {
            try {
                channel.force(true);
                channel.close();
            }
            catch (IOException e) {
                throw new ItemStreamException("cannot close " + file + ": " + e.getMessage(), e);
            }
            channel = null;
        }
    }
}
