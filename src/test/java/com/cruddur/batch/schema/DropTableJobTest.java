package com.cruddur.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** drop-table's confirmation, prod guard and waiting, against dynalite. */
class DropTableJobTest {

    private final Cli cli = new Cli();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void dropsTheTableAndWaitsUntilItIsGone() {
        String table = createTable();

        Cli.Result result = cli.run("drop-table", "table=" + table, "confirm=" + table);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("dropped table " + table);
        assertThat(tableNames()).doesNotContain(table);
    }

    @Test
    void refusesWhenTheConfirmationDiffers() {
        String table = createTable();

        Cli.Result result = cli.run("drop-table", "table=" + table, "confirm=" + table + "x");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err().strip())
                .isEqualTo("error: drop-table: confirm= must repeat the table name exactly (table=" + table + ")");
        assertThat(tableNames()).contains(table);
    }

    @Test
    void refusesInTheProdProfileWithoutAllowProd() {
        String table = createTable();
        Cli prod = new Cli().property("spring.profiles.active", "prod").property("cruddur.aws.region", "us-east-1");

        Cli.Result refused = prod.run("drop-table", "table=" + table, "confirm=" + table);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("refusing to delete " + table + " with the prod profile active",
                "allow-prod=true");
        assertThat(tableNames()).contains(table);

        Cli.Result allowed = prod.run("drop-table", "table=" + table, "confirm=" + table, "allow-prod=true");
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(tableNames()).doesNotContain(table);
    }

    @Test
    void refusesANonLocalEndpointWithoutAllowProd() {
        // Refused by the validator before any request is sent, so the endpoint need not exist.
        Cli remote = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", "https://dynamodb.us-east-1.amazonaws.com");

        Cli.Result refused = remote.run("drop-table", "table=cruddur-messages", "confirm=cruddur-messages");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).isEqualTo("error: drop-table: refusing to delete cruddur-messages at "
                + "https://dynamodb.us-east-1.amazonaws.com, which is not local; add allow-prod=true if you really mean it");
    }

    @Test
    void aMissingTableIsAClearFailure() {
        Cli.Result result = cli.run("drop-table", "table=no-such-table", "confirm=no-such-table");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("reason: table no-such-table does not exist at "
                + cli.property("AWS_ENDPOINT_URL_DYNAMODB"));
    }

    private String createTable() {
        String table = SchemaLoadJobTest.uniqueTable();
        assertThat(cli.run("schema-load", "table=" + table).exitCode()).isZero();
        return table;
    }

    private java.util.List<String> tableNames() {
        return dynamoDb.listTablesPaginator().tableNames().stream().toList();
    }
}
