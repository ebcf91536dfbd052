package com.cruddur.batch.cognito;

import java.nio.file.Path;

import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.file.FlatFileItemWriter;
import org.springframework.batch.infrastructure.item.file.builder.FlatFileItemWriterBuilder;
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

    static final String WRITER_NAME = "cognitoUserFileWriter";

    @Bean(CognitoUserExportParameters.JOB)
    Job cognitoUserExportJob(JobRepository jobRepository, Step cognitoUserExportStep, S3Uploads s3Uploads) {
        return new JobBuilder(CognitoUserExportParameters.JOB, jobRepository)
                .validator(new S3OutputValidator(s3Uploads))
                .start(cognitoUserExportStep).build();
    }

    @Bean
    @JobParametersScope
    CognitoUserExportParameters cognitoUserExportParameters() {
        return CognitoUserExportParameters.of(CurrentJob.parameters());
    }

    /** Job-scoped so that the chunk size can come from the job parameters. */
    @Bean
    @JobScope
    Step cognitoUserExportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CognitoUserReader cognitoUserReader, CognitoUserOutput cognitoUserFileWriter,
            CognitoUserExportParameters cognitoUserExportParameters, Console console, S3Uploads s3Uploads) {
        return new StepBuilder("export-users", jobRepository)
                .<UserType, CognitoUser>chunk(cognitoUserExportParameters.chunkSize())
                .transactionManager(transactionManager)
                .reader(cognitoUserReader)
                .processor(CognitoUser::from)
                .writer(cognitoUserFileWriter)
                .listener(new CognitoUserExportListener(cognitoUserExportParameters, cognitoUserFileWriter, console,
                        s3Uploads))
                .build();
    }

    @Bean
    @StepScope
    CognitoUserOutput cognitoUserFileWriter(CognitoUserExportParameters cognitoUserExportParameters,
            S3Uploads s3Uploads) {
        String output = cognitoUserExportParameters.output();
        boolean csv = cognitoUserExportParameters.csv();
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

    /** An S3 output: a missing bucket is one line and exit 2 before Cognito is read. */
    static class S3OutputValidator implements JobParametersValidator {

        private final S3Uploads s3Uploads;

        S3OutputValidator(S3Uploads s3Uploads) {
            this.s3Uploads = s3Uploads;
        }

        @Override
        public void validate(JobParameters parameters) throws InvalidJobParametersException {
            String output = CognitoUserExportParameters.of(parameters).output();
            String problem = S3Uploads.isS3(output) ? s3Uploads.problemWith("output", output) : null;
            if (problem != null) {
                throw new InvalidJobParametersException(problem);
            }
        }
    }
}
