package com.cruddur.batch.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.cruddur.batch.aws.S3Inputs;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code export-check}: refuses a folder that already holds a finished export or a data file this export would
 * write, and a table that does not exist. Notes in the job's context when the Scan began.
 */
class ExportCheckTasklet implements Tasklet {

    private final DynamoDbClient dynamoDb;
    private final S3Inputs s3Inputs;

    ExportCheckTasklet(DynamoDbClient dynamoDb, S3Inputs s3Inputs) {
        this.dynamoDb = dynamoDb;
        this.s3Inputs = s3Inputs;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        TableExportParameters parameters = TableExportParameters.of(contribution.getStepExecution().getJobParameters());
        if (parameters.s3()) {
            // Bucket, then prefix (no manifest, no data object), then table; reads only, writes nothing.
            S3ExportFolder.parse(parameters.dir()).checkNewExport(s3Inputs.client());
            ExportChecks.describeTable(dynamoDb, parameters.table(), "nothing was exported");
            noteExportTime(contribution);
            return RepeatStatus.FINISHED;
        }
        Path dir = Path.of(parameters.dir());
        if (Files.exists(dir.resolve(ExportManifest.FILE_NAME))) {
            throw new IllegalStateException(dir + " already holds an export (" + ExportManifest.FILE_NAME
                    + "); choose another dir= or remove it");
        }
        // A first run only (a restart skips this completed step and goes on with its own files): an
        // earlier export's data file of the same name would be overwritten, so it is refused.
        for (int segment = 0; segment < parameters.segments(); segment++) {
            String name = parameters.dataFile(segment);
            if (Files.exists(dir.resolve(name))) {
                throw new IllegalStateException(dir + " already holds " + name + " (of another export); choose "
                        + "another dir= or remove it");
            }
        }
        ExportChecks.describeTable(dynamoDb, parameters.table(), "nothing was exported");
        ExportChecks.createFolder(dir.resolve("data"), "export folder");
        noteExportTime(contribution);
        return RepeatStatus.FINISHED;
    }

    /** Kept in the job's context: a restart must report when the Scan began, not when it resumed. */
    private static void noteExportTime(StepContribution contribution) {
        contribution.getStepExecution().getJobExecution().getExecutionContext()
                .putString(TableExportJobConfiguration.EXPORT_TIME, Instant.now().toString());
    }
}
