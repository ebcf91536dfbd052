package com.cruddur.batch.schema;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code drop-table}: deletes one table and waits until it is gone. The confirmation and the prod
 * guard ({@link ProdSafety}: allow-prod=true against a non-local endpoint or with the prod profile) are
 * {@link JobParametersValidator}s, so a refused run never creates a job execution.
 */
@Configuration(proxyBeanMethods = false)
public class DropTableJobConfiguration {

    @Bean(DropTableParameters.JOB)
    Job dropTableJob(JobRepository jobRepository, Step dropTableStep, Environment environment,
            AwsEndpoints endpoints) {
        return new JobBuilder(DropTableParameters.JOB, jobRepository)
                .validator(ProdSafety.both(confirmationValidator(), ProdSafety.dynamoDbWrites(DropTableParameters.JOB,
                        params -> "delete " + DropTableParameters.of(params).table(), endpoints, environment)))
                .start(dropTableStep)
                .build();
    }

    static JobParametersValidator confirmationValidator() {
        return (JobParameters params) -> {
            DropTableParameters drop = DropTableParameters.of(params);
            if (drop.table() == null || !drop.table().equals(drop.confirm())) {
                throw new InvalidJobParametersException(
                        "drop-table: confirm= must repeat the table name exactly (table=" + drop.table() + ")");
            }
        };
    }

    @Bean
    Step dropTableStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        return new StepBuilder("drop-table", jobRepository)
                .tasklet(new DropTableTasklet(dynamoDb, endpoints, console), transactionManager).build();
    }
}
