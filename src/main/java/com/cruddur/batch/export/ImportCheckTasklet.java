package com.cruddur.batch.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.cruddur.batch.aws.S3Inputs;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code import-check}: everything checked, nothing written. The manifest (DYNAMODB_JSON only), the table's key
 * schema against the export's, then each file's SHA-256 and item count, and the total.
 */
class ImportCheckTasklet implements Tasklet {

    private final DynamoDbClient dynamoDb;
    private final S3Inputs s3Inputs;

    ImportCheckTasklet(DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        this.dynamoDb = dynamoDb;
        this.s3Inputs = s3Inputs;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        TableImportParameters parameters = TableImportParameters.of(contribution.getStepExecution().getJobParameters());
        String location = parameters.dir();
        ExportManifest manifest = TableImportJobConfiguration.manifest(location, s3Inputs);
        if (!ExportManifest.DYNAMODB_JSON.equals(manifest.format())) {
            throw new IllegalStateException(manifestLocation(location) + ": format " + manifest.format()
                    + " cannot be imported; only DYNAMODB_JSON exports can");
        }
        // The table first: the cheap check, before the files are read.
        String table = parameters.table();
        List<ExportManifest.KeyAttribute> tableKeys = ExportChecks.keySchema(
                ExportChecks.describeTable(dynamoDb, table, "nothing was imported"));
        if (!tableKeys.equals(manifest.keySchema())) {
            throw new IllegalStateException("table " + table + " has key " + TableImportJobConfiguration.describe(tableKeys)
                    + " but the export (of " + manifest.table() + ") has "
                    + TableImportJobConfiguration.describe(manifest.keySchema()) + "; nothing was imported");
        }
        if (S3Inputs.isS3(location)) {
            checkObjects(S3ExportFolder.parse(location), manifest, s3Inputs.client());
            return RepeatStatus.FINISHED;
        }
        Path dir = Path.of(location);
        long total = 0;
        for (ExportManifest.DataFile file : manifest.files()) {
            Path data = ExportChecks.dataFile(dir, file);
            if (!Files.isReadable(data)) {
                throw new IllegalStateException("manifest lists " + file.path() + ", which is missing in " + dir);
            }
            String sha256 = ExportManifest.sha256(data);
            checkSha256(file, sha256);
            long lines = ExportChecks.readWhole(data, () -> countLines(data));
            checkCount(file, lines);
            total += lines;
        }
        checkTotal(manifest, total);
        return RepeatStatus.FINISHED;
    }

    /**
     * Each data object read once, as it arrives: its SHA-256 over the stored bytes and its lines (gunzipped
     * when .gz) counted in the same pass; then the counts against the manifest's.
     */
    private static void checkObjects(S3ExportFolder dir, ExportManifest manifest, S3Client s3) throws IOException {
        long total = 0;
        for (ExportManifest.DataFile file : manifest.files()) {
            String relative = ExportChecks.relativePath(dir.toString(), file);
            String location = dir.location(relative);
            MessageDigest digest = sha256Digest();
            long lines;
            try (InputStream object = dir.open(s3, relative)) {
                if (object == null) {
                    throw new IllegalStateException("manifest lists " + file.path() + ", which is missing in " + dir
                            + "; nothing was imported");
                }
                DigestInputStream raw = new DigestInputStream(object, digest);
                lines = ExportChecks.readWhole(location, () -> {
                    long counted = countLines(relative.endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw);
                    raw.transferTo(OutputStream.nullOutputStream()); // anything after the last gzip member
                    return counted;
                });
            }
            checkSha256(file, HexFormat.of().formatHex(digest.digest()));
            checkCount(file, lines);
            total += lines;
        }
        checkTotal(manifest, total);
    }

    private static void checkSha256(ExportManifest.DataFile file, String sha256) {
        if (!sha256.equals(file.sha256())) {
            throw new IllegalStateException(file.path() + ": SHA-256 " + sha256 + " differs from the manifest's "
                    + file.sha256() + "; nothing was imported");
        }
    }

    private static void checkCount(ExportManifest.DataFile file, long lines) {
        if (lines != file.itemCount()) {
            throw new IllegalStateException(file.path() + ": " + lines + " items, the manifest says "
                    + file.itemCount() + "; nothing was imported");
        }
    }

    private static void checkTotal(ExportManifest manifest, long total) {
        if (total != manifest.itemCount()) {
            throw new IllegalStateException(ExportManifest.FILE_NAME + ": the files hold " + total
                    + " items, the manifest's total says " + manifest.itemCount() + "; nothing was imported");
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String manifestLocation(String dir) {
        return S3Inputs.isS3(dir) ? S3ExportFolder.parse(dir).location(ExportManifest.FILE_NAME)
                : Path.of(dir).resolve(ExportManifest.FILE_NAME).toString();
    }

    private static long countLines(Path file) throws IOException {
        try (InputStream in = TableImportJobConfiguration.open(file)) {
            return countLines(in);
        }
    }

    private static long countLines(InputStream in) throws IOException {
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0;) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
        return lines;
    }
}
