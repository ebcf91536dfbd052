package com.cruddur.batch.export;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The checks of table-export and table-import, each failing with one line that names the file, folder or
 * table. The run's reason line is the deepest cause's message, and those of the JDK and the SDK name
 * nothing ({@code /proc/nope}, {@code Requested resource not found}, {@code Unexpected end of ZLIB input
 * stream}), so the exceptions thrown here carry no cause: the original is attached as suppressed, for the
 * stack trace in the log.
 */
final class ExportChecks {

    private ExportChecks() {
    }

    static TableDescription describeTable(DynamoDbClient dynamoDb, String table, String consequence) {
        try {
            return dynamoDb.describeTable(r -> r.tableName(table)).table();
        }
        catch (ResourceNotFoundException e) {
            throw withoutCause(new IllegalStateException("table " + table + " does not exist; " + consequence), e);
        }
    }

    /**
     * A table's key as the manifest records it (name, HASH/RANGE, S/N/B): what table-export writes and what
     * table-import compares the target table's with.
     */
    static List<ExportManifest.KeyAttribute> keySchema(TableDescription table) {
        Map<String, String> types = new HashMap<>();
        for (AttributeDefinition definition : table.attributeDefinitions()) {
            types.put(definition.attributeName(), definition.attributeTypeAsString());
        }
        return table.keySchema().stream().map(k -> new ExportManifest.KeyAttribute(k.attributeName(),
                k.keyTypeAsString(), types.get(k.attributeName()))).toList();
    }

    static void createFolder(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw withoutCause(new IllegalStateException("cannot create the " + what + " " + dir + ": " + describe(e)), e);
        }
    }

    /**
     * The data file a manifest entry names, inside the export folder. An absolute path, or one that leads
     * out of the folder ({@code ../}), is refused: an import reads only the export it was given.
     */
    static Path dataFile(Path dir, ExportManifest.DataFile file) {
        Path named = Path.of(file.path());
        Path resolved = dir.resolve(named).normalize();
        if (named.isAbsolute() || !resolved.startsWith(dir.normalize())) {
            throw new IllegalStateException(dir.resolve(ExportManifest.FILE_NAME) + " names " + file.path()
                    + ", which is not inside " + dir + "; refused, nothing was imported");
        }
        return resolved;
    }

    /**
     * As {@link #dataFile}, for an export in S3: the path a manifest entry names, relative and inside the
     * export's prefix, as the rest of the object's key.
     */
    static String relativePath(String dir, ExportManifest.DataFile file) {
        Path named = Path.of(file.path());
        Path normalized = named.normalize();
        if (named.isAbsolute() || normalized.toString().isEmpty() || normalized.startsWith("..")
                || file.path().contains("\\")) {
            throw new IllegalStateException(dir + "/" + ExportManifest.FILE_NAME + " names " + file.path()
                    + ", which is not inside " + dir + "; refused, nothing was imported");
        }
        return normalized.toString();
    }

    interface FileRead<T> {
        T read() throws IOException;
    }

    /** Runs a whole read of {@code file}; a truncated or corrupt gzip or an unreadable file is named. */
    static <T> T readWhole(Path file, FileRead<T> read) throws IOException {
        return readWhole(file.toString(), read);
    }

    /** As {@link #readWhole(Path, FileRead)}, for a file named by a location (an s3:// object). */
    static <T> T readWhole(String file, FileRead<T> read) throws IOException {
        try {
            return read.read();
        }
        catch (EOFException | ZipException e) {
            throw withoutCause(new IllegalStateException(file + ": not a whole gzip file (" + e.getMessage()
                    + "); nothing was imported"), e);
        }
        catch (FileSystemException e) {
            throw withoutCause(new IllegalStateException("cannot read " + file + ": " + describe(e)), e);
        }
    }

    /** What went wrong with a file, in words: the JDK's message is often only the path. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "a folder on the way does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static RuntimeException withoutCause(RuntimeException thrown, Throwable original) {
        thrown.addSuppressed(original);
        return thrown;
    }
}
