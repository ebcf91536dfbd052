package com.cruddur.batch.schema;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** Step {@code drop-table}: deletes the table and waits until DescribeTable no longer finds it. */
class DropTableTasklet implements Tasklet {

    private final DynamoDbClient dynamoDb;
    private final TableWaiter waiter;
    private final AwsEndpoints endpoints;
    private final Console console;

    DropTableTasklet(DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        this.dynamoDb = dynamoDb;
        this.waiter = new TableWaiter(dynamoDb);
        this.endpoints = endpoints;
        this.console = console;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws InterruptedException {
        DropTableParameters params = DropTableParameters.of(contribution.getStepExecution().getJobParameters());
        String table = params.table();
        try {
            dynamoDb.deleteTable(r -> r.tableName(table));
        }
        catch (ResourceNotFoundException e) {
            throw new IllegalStateException("table " + table + " does not exist at " + endpoints.describeDynamodb());
        }
        waiter.awaitGone(table, params.waitFor());
        console.println("dropped table " + table + " at " + endpoints.describeDynamodb());
        return RepeatStatus.FINISHED;
    }
}
