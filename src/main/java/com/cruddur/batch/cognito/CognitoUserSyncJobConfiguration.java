package com.cruddur.batch.cognito;

import java.nio.file.Files;
import java.nio.file.Path;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * {@code cognito-user-sync}: {@code prepare-tables} (users table and the job's working table, if
 * missing) -> {@code sync-users} (ListUsers pages -> {@link UsersTableSyncWriter}, JDBC batches per
 * chunk) -> {@code report} (counts and lists from the working table, printed and written to the
 * report file). A killed run restarts in {@code sync-users} at its last committed page position.
 */
@Configuration(proxyBeanMethods = false)
public class CognitoUserSyncJobConfiguration {

    @Bean(CognitoUserSyncParameters.JOB)
    Job cognitoUserSyncJob(JobRepository jobRepository, Step cognitoSyncPrepareStep, Step cognitoSyncUsersStep,
            Step cognitoSyncReportStep, Environment environment) {
        return new JobBuilder(CognitoUserSyncParameters.JOB, jobRepository)
                // It reads Cognito and writes the users table, so the table's database is what is guarded.
                .validator(ProdSafety.databaseWrites(CognitoUserSyncParameters.JOB,
                        params -> "update users (mode=" + CognitoUserSyncParameters.of(params).mode() + ")",
                        environment))
                .start(cognitoSyncPrepareStep)
                .next(cognitoSyncUsersStep)
                .next(cognitoSyncReportStep)
                .build();
    }

    @Bean
    Step cognitoSyncPrepareStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            UsersTable usersTable, NamedParameterJdbcTemplate jdbc, Environment environment) {
        return new StepBuilder("prepare-tables", jobRepository).tasklet((contribution, chunk) -> {
            usersTable.ensureExists();
            Path ddl = Path.of(environment.getRequiredProperty("cruddur.config-dir"), "sql", "cognito-user-sync.sql");
            if (!Files.isReadable(ddl)) {
                throw new IllegalStateException("working table DDL not found: " + ddl);
            }
            new ResourceDatabasePopulator(new FileSystemResource(ddl))
                    .execute(jdbc.getJdbcTemplate().getDataSource());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /** Job-scoped so that the chunk size can come from the job parameters. */
    @Bean
    @JobScope
    Step cognitoSyncUsersStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CognitoUserReader cognitoUserReader, UsersTableSyncWriter usersTableSyncWriter,
            CognitoUserSyncParameters cognitoUserSyncParameters) {
        return new StepBuilder("sync-users", jobRepository)
                .<UserType, CognitoUser>chunk(cognitoUserSyncParameters.chunkSize())
                .transactionManager(transactionManager)
                .reader(cognitoUserReader)
                .processor(CognitoUser::from)
                .writer(usersTableSyncWriter)
                .build();
    }

    @Bean
    @JobParametersScope
    CognitoUserSyncParameters cognitoUserSyncParameters() {
        return CognitoUserSyncParameters.of(CurrentJob.parameters());
    }

    @Bean
    @StepScope
    UsersTableSyncWriter usersTableSyncWriter(NamedParameterJdbcTemplate jdbc,
            @Value("#{stepExecution}") StepExecution stepExecution,
            CognitoUserSyncParameters cognitoUserSyncParameters) {
        return new UsersTableSyncWriter(jdbc, stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                cognitoUserSyncParameters.upsert());
    }

    @Bean
    Step cognitoSyncReportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            NamedParameterJdbcTemplate jdbc, Console console) {
        return new StepBuilder("report", jobRepository).tasklet((contribution, chunk) -> {
            var step = contribution.getStepExecution();
            CognitoUserSyncParameters params = CognitoUserSyncParameters.of(step.getJobParameters());
            SyncReport report = SyncReport.load(jdbc, step.getJobExecution().getJobInstance().getInstanceId(),
                    params.poolId(), params.mode());
            Path file = params.report();
            report.write(file);
            report.summary().forEach(console::println);
            console.println("report: " + file);
            report.deleteWorkingRows(jdbc);
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
