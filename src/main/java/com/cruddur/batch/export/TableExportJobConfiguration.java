package com.cruddur.batch.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.dynamodb.DynamoDbScanItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@code table-export}: a parallel Scan, one partition (worker step) per scan segment, each writing its
 * own file. Every partition keeps its segment's last committed key and its file's committed length in
 * its own ExecutionContext, so a restart resumes each unfinished segment where it stopped and leaves
 * finished segments alone. The last step counts and checksums the files and writes manifest.json.
 * <p>
 * With {@code dir=s3://bucket/prefix} each segment is an S3 object instead ({@link S3LinesItemWriter}: a
 * multipart upload, completed when the segment is done), its count and SHA-256 taken as it is written, and
 * the manifest is put last. An unfinished segment starts over on restart (its reader keeps no position).
 */
@Configuration(proxyBeanMethods = false)
public class TableExportJobConfiguration {

    static final String SEGMENT = "segment";
    static final String TOTAL_SEGMENTS = "totalSegments";
    static final String FILE = "file";
    static final String EXPORT_TIME = "export.time";
    static final String SEGMENT_WRITER = "file";
    static final String EXPORT_SEGMENT = "export-segment";

    @Bean(ExportJobs.TABLE_EXPORT)
    Job tableExportJob(JobRepository jobRepository, Step exportCheckStep, Step exportScanStep,
            Step exportManifestStep) {
        return new JobBuilder(ExportJobs.TABLE_EXPORT, jobRepository).start(exportCheckStep).next(exportScanStep)
                .next(exportManifestStep).build();
    }

    /**
     * Refuses a folder that already holds a finished export or a data file this export would write, and a
     * table that does not exist.
     */
    @Bean
    Step exportCheckStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        return new StepBuilder("export-check", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters parameters = contribution.getStepExecution().getJobParameters();
            if (S3Inputs.isS3(parameters.getString("dir"))) {
                // Bucket, then prefix (no manifest, no data object), then table; reads only, writes nothing.
                S3ExportFolder.parse(parameters.getString("dir")).checkNewExport(s3Inputs.client());
                ExportChecks.describeTable(dynamoDb, parameters.getString("table"), "nothing was exported");
                contribution.getStepExecution().getJobExecution().getExecutionContext()
                        .putString(EXPORT_TIME, Instant.now().toString());
                return RepeatStatus.FINISHED;
            }
            Path dir = Path.of(parameters.getString("dir"));
            if (Files.exists(dir.resolve(ExportManifest.FILE_NAME))) {
                throw new IllegalStateException(dir + " already holds an export (" + ExportManifest.FILE_NAME
                        + "); choose another dir= or remove it");
            }
            // A first run only (a restart skips this completed step and goes on with its own files): an
            // earlier export's data file of the same name would be overwritten, so it is refused.
            int segments = Integer.parseInt(parameters.getString("segments"));
            boolean gzip = Boolean.parseBoolean(parameters.getString("gzip"));
            for (int segment = 0; segment < segments; segment++) {
                String name = dataFile(segment, segments, parameters.getString("format"), gzip);
                if (Files.exists(dir.resolve(name))) {
                    throw new IllegalStateException(dir + " already holds " + name + " (of another export); choose "
                            + "another dir= or remove it");
                }
            }
            String table = parameters.getString("table");
            ExportChecks.describeTable(dynamoDb, table, "nothing was exported");
            ExportChecks.createFolder(dir.resolve("data"), "export folder");
            // Kept in the job's context: a restart must report when the Scan began, not when it resumed.
            contribution.getStepExecution().getJobExecution().getExecutionContext()
                    .putString(EXPORT_TIME, Instant.now().toString());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /**
     * Job-scoped for threads= and partitioning=: with local threads at most that many segments are
     * scanned at once, the rest wait their turn; with remote workers, one request per segment.
     */
    @Bean
    @JobScope
    Step exportScanStep(JobRepository jobRepository, Partitioner exportPartitioner,
            @Qualifier(EXPORT_SEGMENT) Step exportSegment, @Value("#{jobParameters['threads']}") int threads,
            @Value("#{jobParameters['partitioning']}") String partitioning, ObjectProvider<RemotePartitioning> remote) {
        return Partitioning.step("export", EXPORT_SEGMENT, jobRepository, exportPartitioner, exportSegment,
                partitioning, threads, remote);
    }

    /** One segment; found by this name in worker processes, built per partition for chunk-size=. */
    @Bean(EXPORT_SEGMENT)
    Step exportSegmentStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbScanItemReader segmentReader, ExportSegmentWriter<Map<String, AttributeValue>> segmentWriter) {
        return Partitioning.workerStep(EXPORT_SEGMENT, parameters -> new StepBuilder(EXPORT_SEGMENT, jobRepository)
                .<Map<String, AttributeValue>, Map<String, AttributeValue>>chunk(
                        Integer.parseInt(parameters.getString("chunk-size")))
                .transactionManager(transactionManager).reader(segmentReader).writer(segmentWriter).build());
    }

    /** One partition per segment; the file name carries segment and total, as AWS's exports do not. */
    @Bean
    @StepScope
    Partitioner exportPartitioner(@Value("#{jobParameters['dir']}") String dir,
            @Value("#{jobParameters['segments']}") int segments, @Value("#{jobParameters['format']}") String format,
            @Value("#{jobParameters['gzip']}") boolean gzip) {
        S3ExportFolder s3 = S3Inputs.isS3(dir) ? S3ExportFolder.parse(dir) : null;
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new HashMap<>();
            for (int segment = 0; segment < segments; segment++) {
                ExecutionContext context = new ExecutionContext();
                context.putInt(SEGMENT, segment);
                context.putInt(TOTAL_SEGMENTS, segments);
                String name = dataFile(segment, segments, format, gzip);
                context.putString(FILE, s3 != null ? s3.location(name) : Path.of(dir).resolve(name).toString());
                partitions.put(String.format("segment-%04d", segment), context);
            }
            return partitions;
        };
    }

    static String dataFile(int segment, int segments, String format, boolean gzip) {
        return String.format("data/segment-%04d-of-%04d.%s%s", segment, segments, "csv".equals(format) ? "csv" : "json",
                gzip ? ".gz" : "");
    }

    @Bean
    @StepScope
    DynamoDbScanItemReader segmentReader(DynamoDbClient dynamoDb, @Value("#{jobParameters['table']}") String table,
            @Value("#{stepExecutionContext['segment']}") int segment,
            @Value("#{stepExecutionContext['totalSegments']}") int totalSegments,
            @Value("#{jobParameters['page-size']}") Integer pageSize, @Value("#{stepExecutionContext['file']}") String file,
            @Value("#{stepExecution.id}") long stepExecutionId) {
        // An S3 object cannot be continued at a chunk boundary (S3LinesItemWriter): a restarted segment is
        // scanned from its start, so the reader's keys are this execution's own and a restart finds none.
        String name = S3Inputs.isS3(file) ? "scan-" + stepExecutionId : "scan";
        return DynamoDbScanItemReader.builder().name(name).dynamoDb(dynamoDb).tableName(table)
                .segment(segment, totalSegments).pageSize(pageSize).build();
    }

    @Bean
    @StepScope
    ExportSegmentWriter<Map<String, AttributeValue>> segmentWriter(@Value("#{stepExecutionContext['file']}") String file,
            @Value("#{jobParameters['format']}") String format, @Value("#{jobParameters['gzip']}") boolean gzip,
            S3Inputs s3Inputs) {
        boolean csv = "csv".equals(format);
        LinesEncoder<Map<String, AttributeValue>> encoder = csv ? LinesEncoder.of(new ItemCsv()) : new DynamoDbJsonLines();
        String header = csv ? ItemCsv.HEADER : null;
        if (S3Inputs.isS3(file)) {
            String[] at = S3ExportFolder.bucketAndKey(file);
            return new ExportSegmentWriter<>(new S3LinesItemWriter<>(SEGMENT_WRITER, s3Inputs.uploads(), at[0], at[1],
                    gzip, encoder, header, S3LinesItemWriter.DEFAULT_PART_SIZE));
        }
        return new ExportSegmentWriter<>(new LinesFileItemWriter<>(SEGMENT_WRITER, Path.of(file), gzip, encoder, header));
    }

    @Bean
    Step exportManifestStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, Console console, S3Inputs s3Inputs) {
        // Item counts come from each segment's writer state (committed items, over all restarts), not from
        // counting lines: a CSV field may hold a line break.
        return new StepBuilder("export-manifest", jobRepository).tasklet((contribution, chunk) -> {
            JobExecution job = contribution.getStepExecution().getJobExecution();
            JobParameters parameters = job.getJobParameters();
            String location = parameters.getString("dir");
            S3ExportFolder s3 = S3Inputs.isS3(location) ? S3ExportFolder.parse(location) : null;
            Path dir = s3 == null ? Path.of(location) : null;
            String table = parameters.getString("table");
            String format = parameters.getString("format");
            boolean gzip = Boolean.parseBoolean(parameters.getString("gzip"));
            int segments = Integer.parseInt(parameters.getString("segments"));
            boolean csv = "csv".equals(format);

            List<ExportManifest.DataFile> files = new ArrayList<>();
            long total = 0;
            for (int segment = 0; segment < segments; segment++) {
                String name = dataFile(segment, segments, format, gzip);
                StepExecution written = completedSegment(jobRepository, job, segment);
                long items = written.getExecutionContext().getLong(SEGMENT_WRITER + "." + LinesFileItemWriter.LINES);
                String sha256;
                if (s3 != null) {
                    // Taken as the object was written; the object itself is checked to be there, whole.
                    sha256 = written.getExecutionContext().getString(SEGMENT_WRITER + "." + S3LinesItemWriter.SHA256);
                    long size = written.getExecutionContext().getLong(SEGMENT_WRITER + "." + S3LinesItemWriter.BYTES);
                    long stored = s3.size(s3Inputs.client(), name);
                    if (stored != size) {
                        throw new IllegalStateException(s3.location(name) + " holds " + stored + " bytes, its segment "
                                + "wrote " + size + "; no manifest was written");
                    }
                }
                else {
                    sha256 = ExportManifest.sha256(dir.resolve(name));
                }
                files.add(new ExportManifest.DataFile(name, segment, items, sha256));
                total += items;
            }
            TableDescription description = dynamoDb.describeTable(r -> r.tableName(table)).table();
            Map<String, String> types = new HashMap<>();
            for (AttributeDefinition definition : description.attributeDefinitions()) {
                types.put(definition.attributeName(), definition.attributeTypeAsString());
            }
            List<ExportManifest.KeyAttribute> keys = description.keySchema().stream()
                    .map(k -> new ExportManifest.KeyAttribute(k.attributeName(), k.keyTypeAsString(),
                            types.get(k.attributeName())))
                    .toList();
            String exportTime = job.getExecutionContext().getString(EXPORT_TIME, Instant.now().toString());
            ExportManifest manifest = new ExportManifest(1, table, csv ? ExportManifest.CSV : ExportManifest.DYNAMODB_JSON,
                    gzip ? "GZIP" : "NONE", exportTime, keys, total, files);
            if (s3 != null) {
                s3.putManifest(s3Inputs.uploads(), manifest.toJson());
            }
            else {
                manifest.writeTo(dir);
            }
            contribution.getStepExecution().setWriteCount(total);
            console.println("exported " + total + " items of " + table + " to " + (s3 != null ? s3 : dir) + " ("
                    + segments + (s3 != null ? " objects, " : " files, ") + ExportManifest.FILE_NAME + ")");
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    private static StepExecution completedSegment(JobRepository jobRepository, JobExecution job, int segment) {
        String name = String.format("export-segment:segment-%04d", segment);
        StepExecution last = jobRepository.getLastStepExecution(job.getJobInstance(), name);
        if (last == null || last.getStatus() != BatchStatus.COMPLETED) {
            throw new IllegalStateException("segment " + segment + " has not completed (" + name + ")");
        }
        return last;
    }
}
