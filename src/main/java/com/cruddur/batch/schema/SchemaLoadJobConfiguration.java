package com.cruddur.batch.schema;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@code schema-load}: step {@code create-table} creates the table, or checks an existing one for
 * drift; step {@code wait-active} waits until the table and its index are ACTIVE. Two steps, so a
 * run that fails while waiting restarts at the wait.
 */
@Configuration(proxyBeanMethods = false)
public class SchemaLoadJobConfiguration {

    @Bean(SchemaJobs.SCHEMA_LOAD)
    Job schemaLoadJob(JobRepository jobRepository, Step createTableStep, Step waitActiveStep) {
        return new JobBuilder(SchemaJobs.SCHEMA_LOAD, jobRepository)
                .start(createTableStep)
                .next(waitActiveStep)
                .build();
    }

    @Bean
    Step createTableStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        TableWaiter waiter = new TableWaiter(dynamoDb);
        return new StepBuilder("create-table", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters params = contribution.getStepExecution().getJobParameters();
            String table = params.getString("table");
            String index = params.getString("index");
            Optional<TableDescription> existing = waiter.describe(table);
            if (existing.isEmpty()) {
                try {
                    dynamoDb.createTable(MessagesTableSchema.createRequest(table, index, throughput(params)));
                    console.println("created table " + table + " with index " + index + " at "
                            + endpoints.describeDynamodb());
                    return RepeatStatus.FINISHED;
                }
                catch (ResourceInUseException raced) {
                    // Another process created it between our describe and create: check what it made.
                    existing = waiter.describe(table);
                }
            }
            List<String> drift = MessagesTableSchema.drift(existing.orElseThrow(), index, endpoints.dynamodbIsLocal());
            if (!drift.isEmpty()) {
                console.println("drift: table " + table + " at " + endpoints.describeDynamodb()
                        + " differs from the expected schema:");
                drift.forEach(line -> console.println("  - " + line));
                throw new SchemaDriftException("table " + table + " has " + drift.size()
                        + " difference(s) from the expected schema (drift report above)");
            }
            console.println("table " + table + " exists and matches the expected schema");
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    Step waitActiveStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, Console console) {
        TableWaiter waiter = new TableWaiter(dynamoDb);
        return new StepBuilder("wait-active", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters params = contribution.getStepExecution().getJobParameters();
            String table = params.getString("table");
            TableDescription active = waiter.awaitActive(table,
                    Duration.ofSeconds(Long.parseLong(params.getString("wait-seconds", "120"))));
            console.println("table " + table + " is ACTIVE (" + active.tableArn() + ")");
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    private static ProvisionedThroughput throughput(JobParameters params) {
        if (!"provisioned".equals(params.getString("billing"))) {
            return null;
        }
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(params.getString("read-capacity")))
                .writeCapacityUnits(Long.parseLong(params.getString("write-capacity")))
                .build();
    }

    /** The table exists but differs from what the app needs; the step prints the report. */
    public static class SchemaDriftException extends RuntimeException {
        public SchemaDriftException(String message) {
            super(message);
        }
    }
}
