package com.cruddur.batch.seed;

import java.util.Map;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.input.InputGuard;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code ci-data-setup}: the steps of schema-load, user-seed and conversation-seed (the same step beans)
 * in one job, so CI needs one command and a failed set-up restarts at the step that failed.
 */
@Configuration(proxyBeanMethods = false)
public class CiDataSetupJobConfiguration {

    @Bean(SeedJobs.CI_DATA_SETUP)
    Job ciDataSetupJob(JobRepository jobRepository, @Qualifier("createTableStep") Step createTableStep,
            @Qualifier("waitActiveStep") Step waitActiveStep, Step seedUsersStep, Step seedMessagesStep,
            Step seedGroupRowsStep, AwsEndpoints endpoints, Environment environment, InputGuard ciDataSetupInputs, S3Inputs s3Inputs) {
        return new JobBuilder(SeedJobs.CI_DATA_SETUP, jobRepository)
                .validator(ProdSafety.both(SeedJobs.filesValidator(true, true, s3Inputs), ProdSafety.both(
                        ProdSafety.dynamoDbWrites(SeedJobs.CI_DATA_SETUP,
                                params -> "create and write into " + params.getString(SeedJobs.TABLE), endpoints,
                                environment),
                        ProdSafety.databaseWrites(SeedJobs.CI_DATA_SETUP, params -> "upsert into users", environment))))
                .listener(ciDataSetupInputs)
                .start(createTableStep)
                .next(waitActiveStep)
                .next(seedUsersStep)
                .next(seedMessagesStep)
                .next(seedGroupRowsStep)
                .build();
    }

    /** The seed steps restart at a line count: both files must be the ones the failed run read. */
    @Bean
    InputGuard ciDataSetupInputs(JobRepository jobRepository, S3Inputs s3Inputs) {
        return InputGuard.ofFingerprints(SeedJobs.CI_DATA_SETUP, Map.of(SeedJobs.USERS, s3Inputs.input(SeedJobs.USERS),
                SeedJobs.CONVERSATIONS, s3Inputs.input(SeedJobs.CONVERSATIONS)), jobRepository);
    }
}
