package com.cruddur.batch.schema;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@code schema-load}: step {@code create-table} creates the table, or checks an existing one for
 * drift; step {@code wait-active} waits until the table and its index are ACTIVE. Two steps, so a
 * run that fails while waiting restarts at the wait.
 */
@Configuration(proxyBeanMethods = false)
public class SchemaLoadJobConfiguration {

    @Bean(SchemaLoadParameters.JOB)
    Job schemaLoadJob(JobRepository jobRepository, Step createTableStep, Step waitActiveStep) {
        return new JobBuilder(SchemaLoadParameters.JOB, jobRepository)
                .start(createTableStep)
                .next(waitActiveStep)
                .build();
    }

    @Bean
    Step createTableStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        return new StepBuilder("create-table", jobRepository)
                .tasklet(new CreateTableTasklet(dynamoDb, endpoints, console), transactionManager).build();
    }

    @Bean
    Step waitActiveStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, Console console) {
        TableWaiter waiter = new TableWaiter(dynamoDb);
        return new StepBuilder("wait-active", jobRepository).tasklet((contribution, chunk) -> {
            SchemaLoadParameters params = SchemaLoadParameters.of(contribution.getStepExecution().getJobParameters());
            TableDescription active = waiter.awaitActive(params.table(), params.waitFor());
            console.println("table " + params.table() + " is ACTIVE (" + active.tableArn() + ")");
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    /** The table exists but differs from what the app needs; the step prints the report. */
    public static class SchemaDriftException extends RuntimeException {
        public SchemaDriftException(String message) {
            super(message);
        }
    }
}
