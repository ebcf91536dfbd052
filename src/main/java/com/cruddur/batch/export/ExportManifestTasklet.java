package com.cruddur.batch.export;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code export-manifest}: counts and checksums the segments' files (or objects) and writes manifest.json last.
 * Item counts come from each segment's writer state (committed items, over all restarts), not from counting
 * lines: a CSV field may hold a line break.
 */
class ExportManifestTasklet implements Tasklet {

    private final JobRepository jobRepository;
    private final DynamoDbClient dynamoDb;
    private final Console console;
    private final S3Inputs s3Inputs;

    ExportManifestTasklet(JobRepository jobRepository, DynamoDbClient dynamoDb, Console console, S3Inputs s3Inputs) {
        this.jobRepository = jobRepository;
        this.dynamoDb = dynamoDb;
        this.console = console;
        this.s3Inputs = s3Inputs;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        JobExecution job = contribution.getStepExecution().getJobExecution();
        TableExportParameters parameters = TableExportParameters.of(job.getJobParameters());
        S3ExportFolder s3 = parameters.s3() ? S3ExportFolder.parse(parameters.dir()) : null;
        Path dir = s3 == null ? Path.of(parameters.dir()) : null;
        String table = parameters.table();
        int segments = parameters.segments();

        List<ExportManifest.DataFile> files = new ArrayList<>();
        long total = 0;
        for (int segment = 0; segment < segments; segment++) {
            String name = parameters.dataFile(segment);
            StepExecution written = completedSegment(job, segment);
            String writer = TableExportJobConfiguration.SEGMENT_WRITER + ".";
            long items = written.getExecutionContext().getLong(writer + LinesFileItemWriter.LINES);
            String sha256;
            if (s3 != null) {
                // Taken as the object was written; the object itself is checked to be there, whole.
                sha256 = written.getExecutionContext().getString(writer + S3LinesItemWriter.SHA256);
                long size = written.getExecutionContext().getLong(writer + S3LinesItemWriter.BYTES);
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
        List<ExportManifest.KeyAttribute> keys = ExportChecks.keySchema(
                dynamoDb.describeTable(r -> r.tableName(table)).table());
        String exportTime = job.getExecutionContext().getString(TableExportJobConfiguration.EXPORT_TIME,
                Instant.now().toString());
        ExportManifest manifest = new ExportManifest(1, table,
                parameters.csv() ? ExportManifest.CSV : ExportManifest.DYNAMODB_JSON,
                parameters.gzip() ? "GZIP" : "NONE", exportTime, keys, total, files);
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
    }

    private StepExecution completedSegment(JobExecution job, int segment) {
        String name = String.format("export-segment:segment-%04d", segment);
        StepExecution last = jobRepository.getLastStepExecution(job.getJobInstance(), name);
        if (last == null || last.getStatus() != BatchStatus.COMPLETED) {
            throw new IllegalStateException("segment " + segment + " has not completed (" + name + ")");
        }
        return last;
    }
}
