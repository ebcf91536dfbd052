package com.cruddur.batch.schema;

import java.time.Duration;

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
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code drop-table}: deletes one table and waits until it is gone. The confirmation and the prod
 * guard ({@link ProdSafety}: allow-prod=true against a non-local endpoint or with the prod profile) are
 * {@link JobParametersValidator}s, so a refused run never creates a job execution.
 */
@Configuration(proxyBeanMethods = false)
public class DropTableJobConfiguration {

    @Bean(SchemaJobs.DROP_TABLE)
    Job dropTableJob(JobRepository jobRepository, Step dropTableStep, Environment environment,
            AwsEndpoints endpoints) {
        return new JobBuilder(SchemaJobs.DROP_TABLE, jobRepository)
                .validator(ProdSafety.both(confirmationValidator(), ProdSafety.dynamoDbWrites(SchemaJobs.DROP_TABLE,
                        params -> "delete " + params.getString("table"), endpoints, environment)))
                .start(dropTableStep)
                .build();
    }

    static JobParametersValidator confirmationValidator() {
        return (JobParameters params) -> {
            String table = params.getString("table");
            if (table == null || !table.equals(params.getString("confirm"))) {
                throw new InvalidJobParametersException(
                        "drop-table: confirm= must repeat the table name exactly (table=" + table + ")");
            }
        };
    }

    @Bean
    Step dropTableStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        TableWaiter waiter = new TableWaiter(dynamoDb);
        return new StepBuilder("drop-table", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters params = contribution.getStepExecution().getJobParameters();
            String table = params.getString("table");
            try {
                dynamoDb.deleteTable(r -> r.tableName(table));
            }
            catch (ResourceNotFoundException e) {
                throw new IllegalStateException("table " + table + " does not exist at " + endpoints.describeDynamodb());
            }
            waiter.awaitGone(table, Duration.ofSeconds(Long.parseLong(params.getString("wait-seconds", "120"))));
            console.println("dropped table " + table + " at " + endpoints.describeDynamodb());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
