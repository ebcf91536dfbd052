package com.cruddur.batch.schema;

import java.util.List;
import java.util.Optional;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Step {@code create-table} of schema-load: creates the messages table, or checks an existing one for
 * drift and fails with the report when it differs.
 */
class CreateTableTasklet implements Tasklet {

    private final DynamoDbClient dynamoDb;
    private final TableWaiter waiter;
    private final AwsEndpoints endpoints;
    private final Console console;

    CreateTableTasklet(DynamoDbClient dynamoDb, AwsEndpoints endpoints, Console console) {
        this.dynamoDb = dynamoDb;
        this.waiter = new TableWaiter(dynamoDb);
        this.endpoints = endpoints;
        this.console = console;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        SchemaLoadParameters params = SchemaLoadParameters.of(contribution.getStepExecution().getJobParameters());
        String table = params.table();
        String index = params.index();
        Optional<TableDescription> existing = waiter.describe(table);
        if (existing.isEmpty()) {
            try {
                dynamoDb.createTable(MessagesTableSchema.createRequest(table, index, params.throughput()));
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
            throw new SchemaLoadJobConfiguration.SchemaDriftException("table " + table + " has " + drift.size()
                    + " difference(s) from the expected schema (drift report above)");
        }
        console.println("table " + table + " exists and matches the expected schema");
        return RepeatStatus.FINISHED;
    }
}
