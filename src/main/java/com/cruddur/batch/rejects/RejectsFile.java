package com.cruddur.batch.rejects;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The rejects file of every job: CSV with the header {@value #HEADER}, every field but the line quoted.
 * {@code source} is the input file (or a stream position), {@code line} its line number when there is
 * one, {@code record} the rejected text as read. Created owner-only ({@code rw-------}), with its header on the first reject; appended
 * to when it already exists (a restarted run adds to its first run's file). The jobs' skip listeners
 * decide where it goes and when it is reset; this class only writes it.
 */
public final class RejectsFile {

    public static final String HEADER = "source,line,reason,record";

    private final Path path;
    private BufferedWriter out;
    private long count;

    public RejectsFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Records written by this instance (not those of an earlier run in the same file). */
    public synchronized long count() {
        return count;
    }

    /** @param line the line number, or 0 when the source has none */
    public synchronized void write(String source, long line, String reason, String record) {
        try {
            if (out == null) {
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                boolean fresh = !Files.exists(path) || Files.size(path) == 0;
                if (!Files.exists(path)) {
                    createOwnerOnly(path);
                }
                out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                if (fresh) {
                    out.write(HEADER + "\n");
                }
            }
            out.write(quoted(source) + "," + (line > 0 ? String.valueOf(line) : "") + "," + quoted(reason) + ","
                    + quoted(record) + "\n");
            // Flushed per record: a killed run keeps what it rejected.
            out.flush();
            count++;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write rejects file " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rejected records hold personal data (e-mails, message text): the file is created readable and
     * writable by its owner only, in the call that creates it, so no other user can open it even briefly.
     */
    private static void createOwnerOnly(Path path) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            catch (FileAlreadyExistsException e) {
                // created in between by another process: appended to as it is
            }
        }
        else {
            // Not POSIX (Windows): the file inherits its folder's ACL.
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        }
    }

    /** Removes the file of an earlier run (for jobs whose fresh runs start with an empty file). */
    public synchronized void delete() {
        close();
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot reset rejects file " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out = null;
        }
    }

    /** The message of a rejection's exception, or its type when it has none. */
    public static String reasonOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static String quoted(String value) {
        return "\"" + (value == null ? "" : value).replace("\"", "\"\"") + "\"";
    }
}
