package com.cruddur.batch.cognito;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;

import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemWriterBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.FileSystemResource;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * {@code cognito-user-export}: one chunk step, ListUsers pages -> {@link CognitoUser} -> a CSV (with a
 * header) or JSON-lines file. A restart continues the listing where the last commit left it and the
 * file from its last committed line. A pagination token that Cognito refuses fails the step (no user is
 * ever written twice) and makes the next run of the same command write the file over from the first user.
 * <p>
 * {@code output=s3://bucket/key}: the lines stream into an encrypted upload that becomes the object only
 * when the step completes ({@link S3LinesWriter}); a failed run leaves no object, and its restart lists the
 * users again from the first one.
 */
@Configuration(proxyBeanMethods = false)
public class CognitoUserExportJobConfiguration {

    /** In the step's context after a refused pagination token: the next run writes the file over. */
    static final String STARTED_OVER = "export.start-over";
    private static final String WRITER_NAME = "cognitoUserFileWriter";

    @Bean(CognitoJobs.USER_EXPORT)
    Job cognitoUserExportJob(JobRepository jobRepository, Step cognitoUserExportStep, S3Uploads s3Uploads) {
        return new JobBuilder(CognitoJobs.USER_EXPORT, jobRepository)
                .validator(parameters -> {
                    // An S3 output: a missing bucket is one line and exit 2 before Cognito is read.
                    String output = parameters.getString("output");
                    String problem = S3Uploads.isS3(output) ? s3Uploads.problemWith("output", output) : null;
                    if (problem != null) {
                        throw new InvalidJobParametersException(problem);
                    }
                })
                .start(cognitoUserExportStep).build();
    }

    /** Job-scoped so that the chunk size can come from the job parameters. */
    @Bean
    @JobScope
    Step cognitoUserExportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CognitoUserReader cognitoUserReader, CognitoUserOutput cognitoUserFileWriter,
            @Value("#{jobParameters['chunk-size']}") int chunkSize, Console console, S3Uploads s3Uploads) {
        return new StepBuilder("export-users", jobRepository)
                .<UserType, CognitoUser>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(cognitoUserReader)
                .processor(CognitoUser::from)
                .writer(cognitoUserFileWriter)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        ExecutionContext context = stepExecution.getExecutionContext();
                        if (context.containsKey(STARTED_OVER)) {
                            // Said once: a later restart of this run continues the new file.
                            context.remove(STARTED_OVER);
                            console.println("writing " + output(stepExecution) + " over from the first user: the last "
                                    + "run stopped when Cognito refused its pagination token");
                        }
                        if (S3Uploads.isS3(output(stepExecution)) && context.containsKey(S3LinesWriter.STARTED)) {
                            startS3OutputOver(stepExecution, s3Uploads, console);
                        }
                    }

                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        if (stepExecution.getFailureExceptions().stream().anyMatch(e -> tokenRefused(e))) {
                            startOverOnRestart(stepExecution, console);
                            return null;
                        }
                        if (stepExecution.getStatus() != org.springframework.batch.core.BatchStatus.COMPLETED) {
                            return null; // an S3 upload is aborted when the writer closes
                        }
                        try {
                            cognitoUserFileWriter.complete();
                        }
                        catch (IOException e) {
                            // Spring Batch has marked the step COMPLETED already; this listener runs before the
                            // step is saved for the last time, and the job reads the step's status after it.
                            stepExecution.setStatus(org.springframework.batch.core.BatchStatus.FAILED);
                            stepExecution.addFailureException(e);
                            return ExitStatus.FAILED.addExitDescription(e.getMessage());
                        }
                        console.println("wrote " + stepExecution.getWriteCount() + " users to " + output(stepExecution)
                                + (cognitoUserFileWriter.isS3() ? " (" + s3Uploads.encryption() + ")" : ""));
                        return null;
                    }
                })
                .build();
    }

    /**
     * A restart with an S3 output starts over from the first user: the failed run wrote no object (it appears
     * only when the step completes) and its upload cannot be continued by this process. Its multipart
     * upload, when the run was killed before it could abort it, is aborted here.
     */
    private static void startS3OutputOver(StepExecution stepExecution, S3Uploads s3Uploads, Console console) {
        ExecutionContext context = stepExecution.getExecutionContext();
        String pending = context.getString(S3LinesWriter.UPLOAD_ID, null);
        if (pending != null) {
            s3Uploads.abandon(output(stepExecution), pending);
        }
        for (String key : new ArrayList<>(context.toMap().keySet())) {
            if (!key.startsWith("batch.")) { // Spring Batch's own (step type), not a position
                context.remove(key);
            }
        }
        console.println("writing " + output(stepExecution) + " from the first user: an S3 object is written whole "
                + "when the export completes, so a restart lists the users again");
    }

    /**
     * A refused pagination token (expired, invalid) leaves no way to go on with the listing, and starting it
     * over would append every user already in the file a second time. The step has failed; its saved
     * position (listing and file) is dropped here, before the step's context is saved, so that the same
     * command writes a new file from the first user, and says so.
     */
    private static void startOverOnRestart(StepExecution stepExecution, Console console) {
        ExecutionContext context = stepExecution.getExecutionContext();
        // Users in the file at the last commit, over every run of this instance (the writer's own count).
        long inFile = context.getLong(WRITER_NAME + ".written", stepExecution.getWriteCount());
        for (String key : new ArrayList<>(context.toMap().keySet())) {
            context.remove(key);
        }
        context.putString(STARTED_OVER, "pagination token refused");
        if (S3Uploads.isS3(output(stepExecution))) {
            console.println("nothing was written to " + output(stepExecution) + " (the object appears only when the "
                    + "export completes); the same command lists the users again from the first");
            return;
        }
        console.println(output(stepExecution) + " holds the " + inFile + " users written before Cognito refused the "
                + "pagination token; the same command writes it over from the first user");
    }

    /** The step may wrap the reader's exception. */
    private static boolean tokenRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CognitoUserReader.PaginationTokenRefusedException) {
                return true;
            }
        }
        return false;
    }

    private static String output(StepExecution stepExecution) {
        return stepExecution.getJobParameters().getString("output");
    }

    @Bean
    @StepScope
    CognitoUserOutput cognitoUserFileWriter(@Value("#{jobParameters['output']}") String output,
            @Value("#{jobParameters['format']}") String format, S3Uploads s3Uploads) {
        boolean csv = !"jsonl".equals(format);
        if (S3Uploads.isS3(output)) {
            return new CognitoUserOutput(new S3LinesWriter<>(s3Uploads, output,
                    csv ? CognitoUserLines.csv() : CognitoUserLines.jsonLines(), csv ? CognitoUserLines.csvHeader() : null));
        }
        Path path = Path.of(output);
        FlatFileItemWriterBuilder<CognitoUser> builder = new FlatFileItemWriterBuilder<CognitoUser>()
                .name(WRITER_NAME)
                .resource(new FileSystemResource(path))
                .append(true) // into the owner-only file created by OwnerOnlyFileItemWriter
                .lineAggregator(csv ? CognitoUserLines.csv() : CognitoUserLines.jsonLines());
        if (csv) {
            builder.headerCallback(writer -> writer.write(CognitoUserLines.csvHeader()));
        }
        FlatFileItemWriter<CognitoUser> delegate = builder.build();
        return new CognitoUserOutput(new OwnerOnlyFileItemWriter<>(delegate, path));
    }
}
