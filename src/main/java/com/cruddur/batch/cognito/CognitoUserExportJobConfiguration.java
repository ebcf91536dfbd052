package com.cruddur.batch.cognito;

import java.nio.file.Path;
import java.util.ArrayList;

import com.cruddur.batch.job.Console;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
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
 */
@Configuration(proxyBeanMethods = false)
public class CognitoUserExportJobConfiguration {

    /** In the step's context after a refused pagination token: the next run writes the file over. */
    static final String STARTED_OVER = "export.start-over";
    private static final String WRITER_NAME = "cognitoUserFileWriter";

    @Bean(CognitoJobs.USER_EXPORT)
    Job cognitoUserExportJob(JobRepository jobRepository, Step cognitoUserExportStep) {
        return new JobBuilder(CognitoJobs.USER_EXPORT, jobRepository).start(cognitoUserExportStep).build();
    }

    /** Job-scoped so that the chunk size can come from the job parameters. */
    @Bean
    @JobScope
    Step cognitoUserExportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CognitoUserReader cognitoUserReader, OwnerOnlyFileItemWriter<CognitoUser> cognitoUserFileWriter,
            @Value("#{jobParameters['chunk-size']}") int chunkSize, Console console) {
        return new StepBuilder("export-users", jobRepository)
                .<UserType, CognitoUser>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(cognitoUserReader)
                .processor(CognitoUser::from)
                .writer(cognitoUserFileWriter)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        if (stepExecution.getExecutionContext().containsKey(STARTED_OVER)) {
                            // Said once: a later restart of this run continues the new file.
                            stepExecution.getExecutionContext().remove(STARTED_OVER);
                            console.println("writing " + output(stepExecution) + " over from the first user: the last "
                                    + "run stopped when Cognito refused its pagination token");
                        }
                    }

                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        if (stepExecution.getFailureExceptions().stream().anyMatch(e -> tokenRefused(e))) {
                            startOverOnRestart(stepExecution, console);
                            return null;
                        }
                        if (stepExecution.getStatus() != org.springframework.batch.core.BatchStatus.COMPLETED) {
                            return null;
                        }
                        console.println("wrote " + stepExecution.getWriteCount() + " users to " + output(stepExecution));
                        return null;
                    }
                })
                .build();
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
    OwnerOnlyFileItemWriter<CognitoUser> cognitoUserFileWriter(@Value("#{jobParameters['output']}") String output,
            @Value("#{jobParameters['format']}") String format) {
        Path path = Path.of(output);
        boolean csv = !"jsonl".equals(format);
        FlatFileItemWriterBuilder<CognitoUser> builder = new FlatFileItemWriterBuilder<CognitoUser>()
                .name(WRITER_NAME)
                .resource(new FileSystemResource(path))
                .append(true) // into the owner-only file created by OwnerOnlyFileItemWriter
                .lineAggregator(csv ? CognitoUserLines.csv() : CognitoUserLines.jsonLines());
        if (csv) {
            builder.headerCallback(writer -> writer.write(CognitoUserLines.csvHeader()));
        }
        FlatFileItemWriter<CognitoUser> delegate = builder.build();
        return new OwnerOnlyFileItemWriter<>(delegate, path);
    }
}
