package com.cruddur.batch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** list-tables reads every page of ListTables (100 names a page), not just the first. */
class ListTablesJobTest {

    private final Cli cli = new Cli();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void listsEveryTableAcrossPagesThenTheCount() {
        String prefix = "lt" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<String> names = IntStream.range(0, 230).mapToObj(i -> String.format("%s%03d", prefix, i)).toList();
        names.forEach(name -> dynamoDb.createTable(r -> r.tableName(name)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST)));

        Cli.Result result = cli.run("list-tables", "prefix=" + prefix);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.lines();
        assertThat(lines.subList(0, 230)).containsExactlyElementsOf(names);
        assertThat(lines.get(230)).isEqualTo("230 tables");
    }

    @Test
    void listsAllTablesWithoutAPrefix() {
        String name = "lt-all-" + UUID.randomUUID();
        dynamoDb.createTable(r -> r.tableName(name)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .billingMode(BillingMode.PAY_PER_REQUEST));
        int total = dynamoDb.listTablesPaginator().tableNames().stream().toList().size();

        Cli.Result result = cli.run("list-tables");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).contains(name, total + (total == 1 ? " table" : " tables"));
    }
}
