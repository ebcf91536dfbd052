package com.cruddur.batch.export;

import java.io.IOException;
import java.io.InputStream;
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
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
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
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    @Bean(TableImportParameters.JOB)
    Job tableImportJob(JobRepository jobRepository, Step importCheckStep, Step importFilesStep, Step importDoneStep,
            AwsEndpoints endpoints, Environment environment) {
        return new JobBuilder(TableImportParameters.JOB, jobRepository)
                .validator(ProdSafety.dynamoDbWrites(TableImportParameters.JOB,
                        params -> "write into " + ExportSpecs.TABLE.valueIn(params), endpoints, environment))
                .start(importCheckStep).next(importFilesStep).next(importDoneStep).build();
    }

    /** For the beans made on the job's thread; the files' beans read it from their StepExecution. */
    @Bean
    @JobParametersScope
    TableImportParameters tableImportParameters() {
        return TableImportParameters.of(CurrentJob.parameters());
    }

    @Bean
    Step importCheckStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        return new StepBuilder("import-check", jobRepository)
                .tasklet(new ImportCheckTasklet(dynamoDb, s3Inputs), transactionManager).build();
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

    static String describe(List<ExportManifest.KeyAttribute> keys) {
        return String.join(", ", keys.stream().map(k -> k.name() + " " + k.keyType() + " " + k.type()).toList());
    }

    static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
    }

    /** One partition per data file, named after it. */
    @Bean
    @StepScope
    Partitioner importPartitioner(TableImportParameters tableImportParameters, S3Inputs s3Inputs) {
        String dir = tableImportParameters.dir();
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
            @Qualifier(IMPORT_FILE) Step importFile, TableImportParameters tableImportParameters,
            ObjectProvider<RemotePartitioning> remote) {
        return Partitioning.step("import", IMPORT_FILE, jobRepository, importPartitioner, importFile,
                tableImportParameters.partitioning(), tableImportParameters.threads(), remote);
    }

    /** One file; found by this name in worker processes, built per partition for chunk-size=. */
    @Bean(IMPORT_FILE)
    Step importFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ContentFreeLineErrors<Map<String, AttributeValue>> exportFileReader,
            DynamoDbBatchItemWriter<Map<String, AttributeValue>> importWriter) {
        return Partitioning.workerStep(IMPORT_FILE, parameters -> new StepBuilder(IMPORT_FILE, jobRepository)
                .<Map<String, AttributeValue>, Map<String, AttributeValue>>chunk(
                        TableImportParameters.of(parameters).chunkSize())
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
            @Value("#{stepExecution}") StepExecution stepExecution, S3Inputs s3Inputs) {
        // A file is loaded on a partition thread or a remote worker: no job scope, so no TableImportParameters bean.
        String dir = TableImportParameters.of(stepExecution.getJobParameters()).dir();
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
            @Value("#{stepExecution}") StepExecution stepExecution, S3Inputs s3Inputs) {
        TableImportParameters parameters = TableImportParameters.of(stepExecution.getJobParameters());
        String[] keys = manifest(parameters.dir(), s3Inputs).keySchema().stream().map(ExportManifest.KeyAttribute::name)
                .toArray(String[]::new);
        return DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(dynamoDb).tableName(parameters.table())
                .itemMapper(item -> item).keyAttributes(keys).concurrency(parameters.concurrency()).build();
    }

    @Bean
    Step importDoneStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, Console console,
            S3Inputs s3Inputs) {
        return new StepBuilder("import-done", jobRepository).tasklet((contribution, chunk) -> {
            TableImportParameters parameters = TableImportParameters.of(
                    contribution.getStepExecution().getJobParameters());
            String dir = parameters.dir();
            ExportManifest manifest = manifest(dir, s3Inputs);
            console.println("imported " + manifest.itemCount() + " items from " + dir + " (" + manifest.files().size()
                    + " files, exported from " + manifest.table() + " at " + manifest.exportTime() + ") into "
                    + parameters.table());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
