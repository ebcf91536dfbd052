package com.cruddur.batch.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text, each decoded on its own and strictly ({@link CodingErrorAction#REPORT}), so that a
 * byte that is not UTF-8 costs its line, which the caller can reject by number, instead of being stored as
 * U+FFFD (what an {@code InputStreamReader} does) or failing the whole read at some earlier buffered line
 * (what a strict {@code InputStreamReader} does). After {@link #readLine()}, {@link #malformedAt()} tells
 * whether that line was valid. A UTF-8 byte-order mark at the start of the input is dropped.
 * <p>
 * Only {@link #readLine()} and {@link #close()} are meant to be used (all that {@code FlatFileItemReader} and
 * the replay file reader call); it extends {@link BufferedReader} to be handed to them.
 */
public class StrictUtf8LineReader extends BufferedReader {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];
    private int length;
    private CharBuffer chars = CharBuffer.allocate(1024);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean first = true;
    private int malformedAt = -1;

    public StrictUtf8LineReader(InputStream in) {
        super(Reader.nullReader(), 1);
        this.in = in;
    }

    /**
     * The next line without its terminator ({@code \n}, {@code \r\n} or {@code \r}, as
     * {@link BufferedReader#readLine()}), or null at the end. A line that is not valid UTF-8 is returned
     * with U+FFFD in place of the bad bytes, and {@link #malformedAt()} says where they start.
     */
    @Override
    public String readLine() throws IOException {
        length = 0;
        malformedAt = -1;
        boolean any = false;
        while (true) {
            if (position == limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            byte b = buffer[position++];
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                if ((position < limit || fill()) && buffer[position] == '\n') {
                    position++;
                }
                break;
            }
            if (length == line.length) {
                line = java.util.Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
        }
        int start = 0;
        if (first) {
            first = false;
            if (length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
                start = 3;
            }
        }
        return decode(start);
    }

    /** -1 when the last line read was valid UTF-8, else the 0-based offset of its first bad byte. */
    public int malformedAt() {
        return malformedAt;
    }

    /** The reject reason of a line that is not UTF-8: where, never the bytes themselves. */
    public static String notUtf8(int offset) {
        return "not valid UTF-8 (byte " + (offset + 1) + " of the line); save the file as UTF-8";
    }

    private String decode(int start) {
        int size = length - start;
        if (chars.capacity() < size) {
            chars = CharBuffer.allocate(Math.max(size, chars.capacity() * 2));
        }
        chars.clear();
        ByteBuffer bytes = ByteBuffer.wrap(line, start, size);
        decoder.reset();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            malformedAt = bytes.position() - start;
            return new String(line, start, size, StandardCharsets.UTF_8);
        }
        chars.flip();
        return chars.toString();
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
