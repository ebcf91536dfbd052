package com.cruddur.batch.export;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.dynamodb.DynamoDbScanItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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

    @Bean(TableExportParameters.JOB)
    Job tableExportJob(JobRepository jobRepository, Step exportCheckStep, Step exportScanStep,
            Step exportManifestStep) {
        return new JobBuilder(TableExportParameters.JOB, jobRepository).start(exportCheckStep).next(exportScanStep)
                .next(exportManifestStep).build();
    }

    /** For the beans made on the job's thread; the segments' beans read it from their StepExecution. */
    @Bean
    @JobParametersScope
    TableExportParameters tableExportParameters() {
        return TableExportParameters.of(CurrentJob.parameters());
    }

    @Bean
    Step exportCheckStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        return new StepBuilder("export-check", jobRepository)
                .tasklet(new ExportCheckTasklet(dynamoDb, s3Inputs), transactionManager).build();
    }

    /**
     * Job-scoped for threads= and partitioning=: with local threads at most that many segments are
     * scanned at once, the rest wait their turn; with remote workers, one request per segment.
     */
    @Bean
    @JobScope
    Step exportScanStep(JobRepository jobRepository, Partitioner exportPartitioner,
            @Qualifier(EXPORT_SEGMENT) Step exportSegment, TableExportParameters tableExportParameters,
            ObjectProvider<RemotePartitioning> remote) {
        return Partitioning.step("export", EXPORT_SEGMENT, jobRepository, exportPartitioner, exportSegment,
                tableExportParameters.partitioning(), tableExportParameters.threads(), remote);
    }

    /** One segment; found by this name in worker processes, built per partition for chunk-size=. */
    @Bean(EXPORT_SEGMENT)
    Step exportSegmentStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbScanItemReader segmentReader, ExportSegmentWriter<Map<String, AttributeValue>> segmentWriter) {
        return Partitioning.workerStep(EXPORT_SEGMENT, parameters -> new StepBuilder(EXPORT_SEGMENT, jobRepository)
                .<Map<String, AttributeValue>, Map<String, AttributeValue>>chunk(
                        TableExportParameters.of(parameters).chunkSize())
                .transactionManager(transactionManager).reader(segmentReader).writer(segmentWriter).build());
    }

    /** One partition per segment; the file name carries segment and total, as AWS's exports do not. */
    @Bean
    @StepScope
    Partitioner exportPartitioner(TableExportParameters tableExportParameters) {
        String dir = tableExportParameters.dir();
        int segments = tableExportParameters.segments();
        S3ExportFolder s3 = tableExportParameters.s3() ? S3ExportFolder.parse(dir) : null;
        return gridSize -> {
            Map<String, ExecutionContext> partitions = new HashMap<>();
            for (int segment = 0; segment < segments; segment++) {
                ExecutionContext context = new ExecutionContext();
                context.putInt(SEGMENT, segment);
                context.putInt(TOTAL_SEGMENTS, segments);
                String name = tableExportParameters.dataFile(segment);
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
    DynamoDbScanItemReader segmentReader(DynamoDbClient dynamoDb, @Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{stepExecutionContext['segment']}") int segment,
            @Value("#{stepExecutionContext['totalSegments']}") int totalSegments,
            @Value("#{stepExecutionContext['file']}") String file) {
        // A segment runs on a partition thread or a remote worker: no job scope, so no TableExportParameters bean.
        TableExportParameters parameters = TableExportParameters.of(stepExecution.getJobParameters());
        // An S3 object cannot be continued at a chunk boundary (S3LinesItemWriter): a restarted segment is
        // scanned from its start, so the reader's keys are this execution's own and a restart finds none.
        String name = S3Inputs.isS3(file) ? "scan-" + stepExecution.getId() : "scan";
        return DynamoDbScanItemReader.builder().name(name).dynamoDb(dynamoDb).tableName(parameters.table())
                .segment(segment, totalSegments).pageSize(parameters.pageSize()).build();
    }

    @Bean
    @StepScope
    ExportSegmentWriter<Map<String, AttributeValue>> segmentWriter(@Value("#{stepExecutionContext['file']}") String file,
            @Value("#{stepExecution}") StepExecution stepExecution, S3Inputs s3Inputs) {
        TableExportParameters parameters = TableExportParameters.of(stepExecution.getJobParameters());
        boolean csv = parameters.csv();
        boolean gzip = parameters.gzip();
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
        return new StepBuilder("export-manifest", jobRepository)
                .tasklet(new ExportManifestTasklet(jobRepository, dynamoDb, console, s3Inputs), transactionManager)
                .build();
    }
}
