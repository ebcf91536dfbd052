package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.Cli;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the seed tests look at: rows of the users table and items of the messages table. */
final class SeedTestSupport {

    private SeedTestSupport() {
    }

    /** The job repository stores each context as JSON (launch/JobRepositoryConfiguration): readable as it is. */
    static Map<?, ?> decode(String context) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readValue(context, Map.class);
    }

    static List<String> query(Cli cli, String sql) throws Exception {
        String user = cli.property("spring.datasource.username");
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(cli.property("spring.datasource.url"),
                user == null ? "sa" : user, "");
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    /** Every item of the table, each as its sorted attributes, sorted: equal lists mean equal tables. */
    static List<String> snapshot(String table) {
        return AwsClients.dynamoDb().scanPaginator(r -> r.tableName(table).consistentRead(true)).items().stream()
                .map(item -> new TreeMap<>(item.entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().s())))
                        .toString())
                .sorted().toList();
    }

    static List<Map<String, AttributeValue>> items(String table, String pk) {
        return AwsClients.dynamoDb().queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
                .items().stream().toList();
    }

    static Cli.Result ok(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /** Completed, but some rows went to the rejects file: the exit code says so. */
    static Cli.Result completedWithRejects(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        return result;
    }

    static Path seed(String name) {
        return Path.of("seed-csv", name);
    }
}
