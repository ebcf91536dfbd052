package com.cruddur.batch.seed;

import java.util.Map;

import javax.sql.DataSource;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.input.InputGuard;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code user-seed}: one chunk step {@code seed-users}, users CSV -> checked rows -> upsert by handle
 * into {@code public.users}, which is created first when missing.
 */
@Configuration(proxyBeanMethods = false)
public class UserSeedJobConfiguration {

    @Bean(UserSeedParameters.JOB)
    Job userSeedJob(JobRepository jobRepository, Step seedUsersStep, Environment environment,
            InputGuard userSeedInputs, S3Inputs s3Inputs) {
        return new JobBuilder(UserSeedParameters.JOB, jobRepository)
                .validator(ProdSafety.both(SeedChecks.filesValidator(true, false, s3Inputs),
                        ProdSafety.databaseWrites(UserSeedParameters.JOB, params -> "upsert into users", environment)))
                .listener(userSeedInputs)
                .start(seedUsersStep)
                .build();
    }

    /** A restart resumes at a line count: it must be the same file. */
    @Bean
    InputGuard userSeedInputs(JobRepository jobRepository, S3Inputs s3Inputs) {
        return InputGuard.ofFingerprints(UserSeedParameters.JOB,
                Map.of(SeedSpecs.USERS_FILE.name(), s3Inputs.input(SeedSpecs.USERS_FILE.name())),
                jobRepository);
    }

    @Bean
    Step seedUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FlatFileItemReader<CsvLine> usersReader, UsersTableWriter usersWriter, SeedRejectsListener usersRejects,
            SeedSkipPolicy usersSkipPolicy, UsersTable usersTable, Console console,
            @Value("${cruddur.seed.chunk-size:500}") int chunkSize) {
        return new StepBuilder("seed-users", jobRepository)
                .<CsvLine, SeedUser>chunk(chunkSize)
                .transactionManager(transactionManager)
                // Before the reader's: a failed put of the rejects fails the chunk before its position is saved.
                .stream(usersRejects)
                .reader(usersReader)
                .processor(new UserRowProcessor())
                .writer(usersWriter)
                .faultTolerant()
                .skipPolicy(usersSkipPolicy)
                .skipListener(usersRejects)
                .listener(usersRejects)
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        usersTable.ensureExists();
                    }

                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        console.println("  seed-users: " + usersWriter.inserted() + " inserted, "
                                + usersWriter.updated() + " updated");
                        return null;
                    }
                })
                .build();
    }

    @Bean
    @JobParametersScope
    UserSeedParameters userSeedParameters() {
        return UserSeedParameters.of(CurrentJob.parameters());
    }

    @Bean
    @StepScope
    FlatFileItemReader<CsvLine> usersReader(UserSeedParameters userSeedParameters, S3Inputs s3Inputs) {
        return SeedCsv.reader("users-csv", userSeedParameters.users(), s3Inputs, UserRowProcessor.REQUIRED,
                UserRowProcessor.OPTIONAL);
    }

    @Bean
    @StepScope
    UsersTableWriter usersWriter(DataSource dataSource) {
        return new UsersTableWriter(new JdbcTemplate(dataSource));
    }

    @Bean
    @StepScope
    SeedRejectsListener usersRejects(UserSeedParameters userSeedParameters, Console console, S3Inputs s3Inputs,
            S3Uploads s3Uploads) {
        return new SeedRejectsListener(userSeedParameters.users(), userSeedParameters.rejectsDir(), console,
                s3Inputs, s3Uploads, false);
    }

    @Bean
    @StepScope
    SeedSkipPolicy usersSkipPolicy(UserSeedParameters userSeedParameters) {
        return new SeedSkipPolicy(userSeedParameters.skipLimit(), userSeedParameters.users());
    }
}
