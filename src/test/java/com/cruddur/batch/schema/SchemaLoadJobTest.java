package com.cruddur.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** schema-load through the launcher against dynalite, checked with DescribeTable. */
class SchemaLoadJobTest {

    private final Cli cli = new Cli();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void createsTheTableTheAppExpectsAndWaitsUntilActive() {
        String table = uniqueTable();
        Cli.Result result = cli.run("schema-load", "table=" + table);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("created table " + table, "table " + table + " is ACTIVE",
                "schema-load COMPLETED");
        TableDescription described = dynamoDb.describeTable(r -> r.tableName(table)).table();
        assertThat(described.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(described.keySchema()).extracting(k -> k.attributeName() + " " + k.keyType())
                .containsExactly("pk " + KeyType.HASH, "sk " + KeyType.RANGE);
        assertThat(described.attributeDefinitions()).extracting(a -> a.attributeName() + " " + a.attributeType())
                .containsExactlyInAnyOrder("pk " + ScalarAttributeType.S, "sk " + ScalarAttributeType.S,
                        "message_group_uuid " + ScalarAttributeType.S);
        assertThat(described.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        GlobalSecondaryIndexDescription gsi = described.globalSecondaryIndexes().get(0);
        assertThat(gsi.indexName()).isEqualTo("message-group-sk-index");
        assertThat(gsi.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        assertThat(gsi.keySchema()).extracting(k -> k.attributeName() + " " + k.keyType())
                .containsExactly("message_group_uuid " + KeyType.HASH, "sk " + KeyType.RANGE);
        assertThat(gsi.projection().projectionType()).isEqualTo(ProjectionType.ALL);
    }

    @Test
    void secondRunFindsTheTableUnchangedAndSucceeds() {
        String table = uniqueTable();
        assertThat(cli.run("schema-load", "table=" + table).exitCode()).isZero();

        Cli.Result again = cli.run("schema-load", "table=" + table);

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("table " + table + " exists and matches the expected schema")
                .doesNotContain("created table");
    }

    @Test
    void provisionedBillingUsesTheGivenUnitsOnTableAndIndex() {
        String table = uniqueTable();
        Cli.Result result = cli.run("schema-load", "table=" + table, "billing=provisioned", "read-capacity=7",
                "write-capacity=3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        TableDescription described = dynamoDb.describeTable(r -> r.tableName(table)).table();
        assertThat(described.provisionedThroughput().readCapacityUnits()).isEqualTo(7L);
        assertThat(described.provisionedThroughput().writeCapacityUnits()).isEqualTo(3L);
        assertThat(described.globalSecondaryIndexes().get(0).provisionedThroughput().readCapacityUnits())
                .isEqualTo(7L);
    }

    @Test
    void anExistingTableWithAnotherShapeIsReportedAsDrift() {
        String table = uniqueTable();
        // The shape an old script made: a numeric sort key and no index.
        dynamoDb.createTable(r -> r.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.N))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        AwsClients.awaitTableActive(table);

        Cli.Result result = cli.run("schema-load", "table=" + table);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.lines()).contains(
                "drift: table " + table + " at " + cli.property("AWS_ENDPOINT_URL_DYNAMODB")
                        + " differs from the expected schema:",
                "  - attribute sk: expected type S; found N",
                "  - attribute message_group_uuid: expected type S; found none",
                "  - index message-group-sk-index: missing; found no global secondary index");
        assertThat(result.out()).contains("schema-load FAILED",
                "reason: table " + table + " has 3 difference(s) from the expected schema (drift report above)");
    }

    static String uniqueTable() {
        return "test-" + UUID.randomUUID();
    }
}
