package com.cruddur.batch.cognito;

import java.nio.file.Path;

import com.cruddur.batch.launch.Console;
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
 * file from its last committed line.
 */
@Configuration(proxyBeanMethods = false)
public class CognitoUserExportJobConfiguration {

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
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        if (stepExecution.getStatus() != org.springframework.batch.core.BatchStatus.COMPLETED) {
                            return null;
                        }
                        console.println("wrote " + stepExecution.getWriteCount() + " users to "
                                + stepExecution.getJobParameters().getString("output"));
                        return null;
                    }
                })
                .build();
    }

    @Bean
    @StepScope
    OwnerOnlyFileItemWriter<CognitoUser> cognitoUserFileWriter(@Value("#{jobParameters['output']}") String output,
            @Value("#{jobParameters['format']}") String format) {
        Path path = Path.of(output);
        boolean csv = !"jsonl".equals(format);
        FlatFileItemWriterBuilder<CognitoUser> builder = new FlatFileItemWriterBuilder<CognitoUser>()
                .name("cognitoUserFileWriter")
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
