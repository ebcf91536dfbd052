package com.cruddur.batch.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.cruddur.batch.support.AwsClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.ChunkOrientedStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A write-behind writer in real Spring Batch steps (a job and its writer as beans of a context, the
 * resourceless job repository, dynalite): the step set-ups where writing behind is unsafe fail at step
 * start, before anything is read or written; a step that is fault-tolerant for reads only runs.
 */
class WriteBehindStepCheckTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private String table;

    @BeforeEach
    void createTable() {
        table = "write-behind-" + System.nanoTime();
        dynamoDb.createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)).billingMode("PAY_PER_REQUEST"));
        AwsClients.awaitTableActive(table);
    }

    @Test
    void aFaultTolerantStepThatSkipsFailedWritesIsRefusedAtStart() throws Exception {
        StepExecution step = run(s -> s.faultTolerant().skip(Exception.class).skipLimit(10));

        assertRefused(step, "step 'write' is fault-tolerant and its skip policy would skip a failed write");
    }

    @Test
    void aFaultTolerantStepThatRetriesFailedWritesIsRefusedAtStart() throws Exception {
        StepExecution step = run(s -> s.faultTolerant().retryLimit(3));

        assertRefused(step, "step 'write' is fault-tolerant and its retry policy would retry a failed write");
    }

    @Test
    void aMultiThreadedStepIsRefusedAtStart() throws Exception {
        StepExecution step = run(s -> s.taskExecutor(new SimpleAsyncTaskExecutor("write-behind-test-")));

        assertRefused(step, "step 'write' has a task executor");
    }

    /** As the seed job's messages step: skips bad input lines, never a write. */
    @Test
    void aStepFaultTolerantForReadsOnlyWritesEveryItem() throws Exception {
        StepExecution step = run(s -> s.faultTolerant().skip(FlatFileParseException.class).skipLimit(10));

        assertThat(step.getStatus()).as("%s", step.getFailureExceptions()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(step.getWriteCount()).isEqualTo(95);
        assertThat(count()).isEqualTo(95);
    }

    private static void assertRefused(StepExecution step, String reason) {
        assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(step.getFailureExceptions()).singleElement()
                .isInstanceOf(WriteBehindStepCheck.UnsafeWriteBehindException.class)
                .extracting(Throwable::getMessage).asString().startsWith(reason)
                .contains("build the writer without writeBehind");
        assertThat(step.getReadCount()).as("refused before the first read").isZero();
    }

    /** Runs a one-step job whose step has a write-behind writer and the set-up given; 95 items. */
    private StepExecution run(UnaryOperator<ChunkOrientedStepBuilder<Map<String, AttributeValue>,
            Map<String, AttributeValue>>> setUp) throws Exception {
        JobRepository repository = new ResourcelessJobRepository();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("p" + i), "message", AttributeValue.fromS("v")));
        }
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.registerBean("writer", DynamoDbBatchItemWriter.class,
                    () -> DynamoDbBatchItemWriter.<Map<String, AttributeValue>>builder().client(dynamoDb)
                            .tableName(table).keyAttributes("pk").itemMapper(item -> item).writeBehind(true).build());
            context.registerBean("job", Job.class, () -> {
                @SuppressWarnings("unchecked")
                DynamoDbBatchItemWriter<Map<String, AttributeValue>> writer = context.getBean(DynamoDbBatchItemWriter.class);
                ChunkOrientedStepBuilder<Map<String, AttributeValue>, Map<String, AttributeValue>> step =
                        new StepBuilder("write", repository).<Map<String, AttributeValue>, Map<String, AttributeValue>>chunk(10)
                                .reader(new CheckpointBehindReader<>(
                                        new DynamoDbBatchItemWriterTest.ListStreamReader(items), writer))
                                .writer(writer);
                return new JobBuilder("write-behind-check", repository).start(setUp.apply(step).build()).build();
            });
            context.refresh();
            Job job = context.getBean(Job.class);
            JobParameters parameters = new JobParameters();
            JobExecution execution = repository.createJobExecution(
                    repository.createJobInstance(job.getName(), parameters), parameters, new ExecutionContext());
            job.execute(execution);
            return execution.getStepExecutions().iterator().next();
        }
    }

    private int count() {
        return dynamoDb.scanPaginator(r -> r.tableName(table)).stream().mapToInt(p -> p.count()).sum();
    }
}
