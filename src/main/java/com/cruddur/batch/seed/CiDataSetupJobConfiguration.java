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

    @Bean(CiDataSetupParameters.JOB)
    Job ciDataSetupJob(JobRepository jobRepository, @Qualifier("createTableStep") Step createTableStep,
            @Qualifier("waitActiveStep") Step waitActiveStep, Step seedUsersStep, Step seedMessagesStep,
            Step seedGroupRowsStep, AwsEndpoints endpoints, Environment environment, InputGuard ciDataSetupInputs, S3Inputs s3Inputs) {
        return new JobBuilder(CiDataSetupParameters.JOB, jobRepository)
                .validator(ProdSafety.both(SeedChecks.filesValidator(true, true, s3Inputs), ProdSafety.both(
                        ProdSafety.dynamoDbWrites(CiDataSetupParameters.JOB,
                                params -> "create and write into " + CiDataSetupParameters.of(params).schema().table(),
                                endpoints, environment),
                        ProdSafety.databaseWrites(CiDataSetupParameters.JOB, params -> "upsert into users",
                                environment))))
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
        return InputGuard.ofFingerprints(CiDataSetupParameters.JOB, Map.of(
                SeedSpecs.USERS_FILE.name(), s3Inputs.input(SeedSpecs.USERS_FILE.name()),
                SeedSpecs.CONVERSATIONS_FILE.name(), s3Inputs.input(SeedSpecs.CONVERSATIONS_FILE.name())),
                jobRepository);
    }
}
