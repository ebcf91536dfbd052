package com.cruddur.batch.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemReaderBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code table-import}: loads a table-export (DynamoDB JSON) into a table through its manifest. First
 * everything is checked and nothing written: the manifest, each file's SHA-256 and item count, and the
 * table's key schema against the export's. Then one partition per file reads it with Spring Batch's
 * FlatFileItemReader (which keeps its line in the ExecutionContext, so a restart goes on from the last
 * committed line of each unfinished file) and writes with the shared BatchWriteItem writer. Puts are
 * idempotent, so the chunk in flight at a crash is simply written again.
 * <p>
 * With {@code dir=s3://bucket/prefix} the manifest and the data objects are read from S3 (GetObject,
 * streamed, never held whole): the checks read each object once, for its SHA-256 and its item count.
 */
@Configuration(proxyBeanMethods = false)
public class TableImportJobConfiguration {

    static final String FILE = "file";
    static final String NAME = "name";
    static final String IMPORT_FILE = "import-file";

    @Bean(ExportJobs.TABLE_IMPORT)
    Job tableImportJob(JobRepository jobRepository, Step importCheckStep, Step importFilesStep, Step importDoneStep,
            AwsEndpoints endpoints, Environment environment) {
        return new JobBuilder(ExportJobs.TABLE_IMPORT, jobRepository)
                .validator(ProdSafety.dynamoDbWrites(ExportJobs.TABLE_IMPORT,
                        params -> "write into " + params.getString("table"), endpoints, environment))
                .start(importCheckStep).next(importFilesStep).next(importDoneStep).build();
    }

    @Bean
    Step importCheckStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        return new StepBuilder("import-check", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters parameters = contribution.getStepExecution().getJobParameters();
            String location = parameters.getString("dir");
            ExportManifest manifest = manifest(location, s3Inputs);
            if (!ExportManifest.DYNAMODB_JSON.equals(manifest.format())) {
                throw new IllegalStateException(manifestLocation(location) + ": format " + manifest.format()
                        + " cannot be imported; only DYNAMODB_JSON exports can");
            }
            // The table first: the cheap check, before the files are read.
            String table = parameters.getString("table");
            List<ExportManifest.KeyAttribute> tableKeys = keySchema(
                    ExportChecks.describeTable(dynamoDb, table, "nothing was imported"));
            if (!tableKeys.equals(manifest.keySchema())) {
                throw new IllegalStateException("table " + table + " has key " + describe(tableKeys)
                        + " but the export (of " + manifest.table() + ") has " + describe(manifest.keySchema())
                        + "; nothing was imported");
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
                if (!sha256.equals(file.sha256())) {
                    throw new IllegalStateException(file.path() + ": SHA-256 " + sha256 + " differs from the manifest's "
                            + file.sha256() + "; nothing was imported");
                }
                long lines = ExportChecks.readWhole(data, () -> countLines(data));
                if (lines != file.itemCount()) {
                    throw new IllegalStateException(file.path() + ": " + lines + " items, the manifest says "
                            + file.itemCount() + "; nothing was imported");
                }
                total += lines;
            }
            if (total != manifest.itemCount()) {
                throw new IllegalStateException(ExportManifest.FILE_NAME + ": the files hold " + total
                        + " items, the manifest's total says " + manifest.itemCount() + "; nothing was imported");
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Each data object read once, as it arrives: its SHA-256 over the stored bytes and its lines (gunzipped
     * when .gz) counted in the same pass; then the counts against the manifest's.
     */
    private static void checkObjects(S3ExportFolder dir, ExportManifest manifest,
            S3Client s3) throws IOException {
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
            String sha256 = HexFormat.of().formatHex(digest.digest());
            if (!sha256.equals(file.sha256())) {
                throw new IllegalStateException(file.path() + ": SHA-256 " + sha256 + " differs from the manifest's "
                        + file.sha256() + "; nothing was imported");
            }
            if (lines != file.itemCount()) {
                throw new IllegalStateException(file.path() + ": " + lines + " items, the manifest says "
                        + file.itemCount() + "; nothing was imported");
            }
            total += lines;
        }
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

    /** The manifest of a local folder or of an {@code s3://bucket/prefix}. */
    static ExportManifest manifest(String dir, S3Inputs s3Inputs) {
        return S3Inputs.isS3(dir) ? S3ExportFolder.parse(dir).readManifest(s3Inputs.client()) : manifest(Path.of(dir));
    }

    private static ExportManifest manifest(Path dir) {
        Path path = dir.resolve(ExportManifest.FILE_NAME);
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("no " + ExportManifest.FILE_NAME + " in " + dir
                    + ": not a table-export folder, or the export did not finish");
        }
        return ExportManifest.readFrom(path);
    }

    static List<ExportManifest.KeyAttribute> keySchema(TableDescription table) {
        Map<String, String> types = new HashMap<>();
        for (AttributeDefinition definition : table.attributeDefinitions()) {
            types.put(definition.attributeName(), definition.attributeTypeAsString());
        }
        return table.keySchema().stream().map(k -> new ExportManifest.KeyAttribute(k.attributeName(),
                k.keyTypeAsString(), types.get(k.attributeName()))).toList();
    }

    private static String describe(List<ExportManifest.KeyAttribute> keys) {
        return String.join(", ", keys.stream().map(k -> k.name() + " " + k.keyType() + " " + k.type()).toList());
    }

    private static long countLines(Path file) throws IOException {
        try (InputStream in = open(file)) {
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

    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
    }

    /** One partition per data file, named after it. */
    @Bean
    @StepScope
    Partitioner importPartitioner(@Value("#{jobParameters['dir']}") String dir, S3Inputs s3Inputs) {
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new HashMap<>();
            S3ExportFolder s3 = S3Inputs.isS3(dir) ? S3ExportFolder.parse(dir) : null;
            for (ExportManifest.DataFile file : manifest(dir, s3Inputs).files()) {
                ExecutionContext context = new ExecutionContext();
                context.putString(FILE, s3 != null ? s3.location(ExportChecks.relativePath(dir, file))
                        : ExportChecks.dataFile(Path.of(dir), file).toString());
                context.putString(NAME, file.path());
                partitions.put(Path.of(file.path()).getFileName().toString(), context);
            }
            return partitions;
        };
    }

    /** Job-scoped for threads= and partitioning= (local threads or remote workers, one file each). */
    @Bean
    @JobScope
    Step importFilesStep(JobRepository jobRepository, Partitioner importPartitioner,
            @Qualifier(IMPORT_FILE) Step importFile, @Value("#{jobParameters['threads']}") int threads,
            @Value("#{jobParameters['partitioning']}") String partitioning, ObjectProvider<RemotePartitioning> remote) {
        return Partitioning.step("import", IMPORT_FILE, jobRepository, importPartitioner, importFile, partitioning,
                threads, remote);
    }

    /** One file; found by this name in worker processes, built per partition for chunk-size=. */
    @Bean(IMPORT_FILE)
    Step importFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContentFreeLineErrors<Map<String, AttributeValue>> exportFileReader,
            DynamoDbBatchItemWriter<Map<String, AttributeValue>> importWriter) {
        return Partitioning.workerStep(IMPORT_FILE, parameters -> new StepBuilder(IMPORT_FILE, jobRepository)
                .<Map<String, AttributeValue>, Map<String, AttributeValue>>chunk(
                        Integer.parseInt(parameters.getString("chunk-size")))
                .transactionManager(transactionManager).reader(exportFileReader).writer(importWriter).build());
    }

    /**
     * Each line is parsed and its key checked against the export's key schema (equal to the table's, as
     * import-check made sure) as it is read: a bad line fails its file naming file and line, before the
     * chunk that holds it is written; fixed, the same command resumes that file from its last commit.
     * Checking every line up front would parse every file twice; the SHA-256 check already refuses any
     * file edited after its export, so only a hand-made export can get here.
     */
    @Bean
    @StepScope
    ContentFreeLineErrors<Map<String, AttributeValue>> exportFileReader(
            @Value("#{stepExecutionContext['file']}") String file, @Value("#{stepExecutionContext['name']}") String name,
            @Value("#{jobParameters['dir']}") String dir, S3Inputs s3Inputs) {
        Resource resource = S3Inputs.isS3(file) ? gunzipped(s3Inputs.resource(file), file.endsWith(".gz"))
                : new FileSystemResource(file) {
                    @Override
                    public InputStream getInputStream() throws IOException {
                        return open(getFile().toPath());
                    }
                };
        List<ExportManifest.KeyAttribute> keys = manifest(dir, s3Inputs).keySchema();
        FlatFileItemReader<Map<String, AttributeValue>> lines = new FlatFileItemReaderBuilder<Map<String, AttributeValue>>()
                .name("lines").resource(resource).encoding("UTF-8").strict(true)
                .lineMapper((line, lineNumber) -> {
                    try {
                        Map<String, AttributeValue> item = DynamoDbJson.fromExportLine(line);
                        checkKey(item, keys);
                        return item;
                    }
                    catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(name + " line " + lineNumber + ": " + e.getMessage());
                    }
                })
                .build();
        return new ContentFreeLineErrors<>(lines);
    }

    /** An S3 object's content as the reader sees it: decompressed when it is gzip, streamed either way. */
    private static Resource gunzipped(Resource object, boolean gzip) {
        return new AbstractResource() {
            @Override
            public InputStream getInputStream() throws IOException {
                InputStream raw = object.getInputStream();
                return gzip ? new GZIPInputStream(raw, 64 * 1024) : raw;
            }

            @Override
            public boolean exists() {
                return object.exists();
            }

            @Override
            public String getDescription() {
                return object.getDescription();
            }
        };
    }

    /** Names the attribute and types only: the item's values are record contents. */
    static void checkKey(Map<String, AttributeValue> item, List<ExportManifest.KeyAttribute> keys) {
        for (ExportManifest.KeyAttribute key : keys) {
            AttributeValue value = item.get(key.name());
            if (value == null) {
                throw new IllegalArgumentException("item has no key attribute '" + key.name() + "' (the key is "
                        + describe(keys) + "); nothing of this line was written");
            }
            String type = value.type() == null ? "unknown" : value.type().name();
            if (!type.equals(key.type())) {
                throw new IllegalArgumentException("key attribute '" + key.name() + "' is of type " + type
                        + ", the key needs " + key.type() + "; nothing of this line was written");
            }
        }
    }

    @Bean
    @StepScope
    DynamoDbBatchItemWriter<Map<String, AttributeValue>> importWriter(DynamoDbClient dynamoDb,
            @Value("#{jobParameters['table']}") String table, @Value("#{jobParameters['dir']}") String dir,
            @Value("#{jobParameters['concurrency']}") int concurrency, S3Inputs s3Inputs) {
        String[] keys = manifest(dir, s3Inputs).keySchema().stream().map(ExportManifest.KeyAttribute::name)
                .toArray(String[]::new);
        return DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(dynamoDb).tableName(table)
                .itemMapper(item -> item).keyAttributes(keys).concurrency(concurrency).build();
    }

    @Bean
    Step importDoneStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Console console,
            S3Inputs s3Inputs) {
        return new StepBuilder("import-done", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters parameters = contribution.getStepExecution().getJobParameters();
            String dir = parameters.getString("dir");
            ExportManifest manifest = manifest(dir, s3Inputs);
            console.println("imported " + manifest.itemCount() + " items from " + dir + " (" + manifest.files().size()
                    + " files, exported from " + manifest.table() + " at " + manifest.exportTime() + ") into "
                    + parameters.getString("table"));
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
