package com.cruddur.batch.schema;

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

/** {@code list-tables}: every page of ListTables through the SDK paginator, one name per line. */
@Configuration(proxyBeanMethods = false)
public class ListTablesJobConfiguration {

    @Bean(ListTablesParameters.JOB)
    Job listTablesJob(JobRepository jobRepository, Step listTablesStep) {
        return new JobBuilder(ListTablesParameters.JOB, jobRepository).start(listTablesStep).build();
    }

    @Bean
    Step listTablesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, Console console) {
        return new StepBuilder("list-tables", jobRepository).tasklet((contribution, chunk) -> {
            String prefix = ListTablesParameters.of(contribution.getStepExecution().getJobParameters()).prefix();
            long count = dynamoDb.listTablesPaginator().tableNames().stream()
                    .filter(name -> name.startsWith(prefix))
                    .peek(console::println)
                    .count();
            contribution.getStepExecution().setReadCount(count);
            console.println(count + (count == 1 ? " table" : " tables"));
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }
}
