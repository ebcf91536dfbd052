package com.cruddur.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.JobTestContext;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** The table admin jobs in-process (one context for the family) against dynalite, checked with the SDK. */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, SchemaLoadJobConfiguration.class,
        ListTablesJobConfiguration.class, DropTableJobConfiguration.class, JobTestContext.class },
        properties = JobTestContext.CONFIG)
class SchemaJobsFunctionalTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.properties(registry, "schema-jobs");
    }

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Autowired
    private JobTestContext context;
    @Autowired
    @Qualifier(SchemaLoadParameters.JOB)
    private Job schemaLoad;
    @Autowired
    @Qualifier(ListTablesParameters.JOB)
    private Job listTables;
    @Autowired
    @Qualifier(DropTableParameters.JOB)
    private Job dropTable;

    @Test
    void schemaLoadLeavesAnActiveProvisionedTableWithTheIndex() throws Exception {
        String table = "functional-" + UUID.randomUUID();

        JobExecution execution = context.launch(schemaLoad, SchemaLoadParameters.DESCRIPTOR, Map.of("table", table, "billing", "provisioned",
                "read-capacity", "6"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        TableDescription described = dynamoDb.describeTable(r -> r.tableName(table)).table();
        assertThat(described.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(described.keySchema()).extracting(k -> k.attributeName() + " " + k.keyType())
                .containsExactly("pk " + KeyType.HASH, "sk " + KeyType.RANGE);
        // Default from the configuration (cruddur.dynamodb.index-name), default write-capacity=5 from the descriptor.
        assertThat(described.globalSecondaryIndexes()).singleElement()
                .satisfies(gsi -> assertThat(gsi.indexName()).isEqualTo("message-group-sk-index"));
        assertThat(described.provisionedThroughput().readCapacityUnits()).isEqualTo(6L);
        assertThat(described.provisionedThroughput().writeCapacityUnits()).isEqualTo(5L);
    }

    @Test
    void listTablesPrintsTheTablesWithThePrefixAndCountsThem() throws Exception {
        String prefix = "functional-list-" + UUID.randomUUID() + "-";
        for (String name : new String[] { "a", "b" }) {
            dynamoDb.createTable(MessagesTableSchema.createRequest(prefix + name, "index", null));
        }
        context.takeLines();

        JobExecution execution = context.launch(listTables, ListTablesParameters.DESCRIPTOR, Map.of("prefix", prefix));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(context.takeLines()).containsExactly(prefix + "a", prefix + "b", "2 tables");
        assertThat(execution.getStepExecutions()).singleElement()
                .satisfies(step -> assertThat(step.getReadCount()).isEqualTo(2));
    }

    @Test
    void dropTableLeavesNoTable() throws Exception {
        String table = "functional-drop-" + UUID.randomUUID();
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "index", null));
        AwsClients.awaitTableActive(table);

        JobExecution execution = context.launch(dropTable, DropTableParameters.DESCRIPTOR, Map.of("table", table, "confirm", table));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(dynamoDb.listTablesPaginator().tableNames().stream()).doesNotContain(table);
        assertThatThrownBy(() -> dynamoDb.describeTable(r -> r.tableName(table)))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
