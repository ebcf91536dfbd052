package com.cruddur.batch.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code manifest.json} of an export: what was exported (table, key schema, time, format) and, per
 * file, how many items it holds and its SHA-256, so an import can check the files before writing.
 *
 * @param format      {@code DYNAMODB_JSON} (importable) or {@code CSV}
 * @param compression {@code GZIP} or {@code NONE}
 * @param keySchema   the table's key, e.g. pk HASH S, sk RANGE S
 */
public record ExportManifest(int version, String table, String format, String compression, String exportTime,
        List<KeyAttribute> keySchema, long itemCount, List<DataFile> files) {

    public static final String FILE_NAME = "manifest.json";
    public static final String DYNAMODB_JSON = "DYNAMODB_JSON";
    public static final String CSV = "CSV";

    /** @param type the attribute type: S, N or B */
    public record KeyAttribute(String name, String keyType, String type) {
    }

    /** @param path relative to the manifest's folder */
    public record DataFile(String path, int segment, long itemCount, String sha256) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Written to a temporary name, then moved: a manifest present means the export is whole. */
    public void writeTo(Path dir) throws IOException {
        Path temporary = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(temporary, toJson());
        Files.move(temporary, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The manifest's text, as written to a file or an S3 object. */
    public String toJson() {
        return JSON.writeValueAsString(this) + "\n";
    }

    public static ExportManifest readFrom(Path manifest) {
        return read(() -> JSON.readValue(manifest.toFile(), ExportManifest.class), manifest.toString());
    }

    /** @param manifest where the stream comes from, for the messages (an s3:// location) */
    public static ExportManifest readFrom(InputStream in, String manifest) {
        return read(() -> JSON.readValue(in, ExportManifest.class), manifest);
    }

    private static ExportManifest read(Supplier<ExportManifest> parse, String manifest) {
        try {
            ExportManifest read = parse.get();
            if (read.files() == null || read.keySchema() == null || read.format() == null) {
                throw new IllegalArgumentException(manifest + ": not an export manifest (files, keySchema or format missing)");
            }
            return read;
        }
        catch (JacksonException e) {
            // No cause: the run's reason line is the deepest cause's message, and Jackson's names no file.
            String what = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\(?(start marker )?at \\[Source.*$", "")
                    .lines().findFirst().orElse("");
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            IllegalArgumentException refused = new IllegalArgumentException(manifest + ": not a readable manifest"
                    + where + ": " + what);
            refused.addSuppressed(e);
            throw refused;
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
