package com.cruddur.batch.dynamodb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** Every page of a Query, in key order (or reverse), restartable after the last committed item. */
public class DynamoDbQueryItemReader extends DynamoDbPagingItemReader {

    private final QueryRequest request;

    DynamoDbQueryItemReader(DynamoDbClient dynamoDb, QueryRequest request, List<String> keyAttributes) {
        super(dynamoDb, request.tableName(), keyAttributes);
        this.request = request;
    }

    @Override
    protected SdkIterable<Map<String, AttributeValue>> items(Map<String, AttributeValue> exclusiveStartKey) {
        return dynamoDb.queryPaginator(request.toBuilder().exclusiveStartKey(exclusiveStartKey).build()).items();
    }

    @Override
    protected String indexName() {
        return request.indexName();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private DynamoDbClient dynamoDb;
        private String name = "query";
        private final QueryRequest.Builder request = QueryRequest.builder();
        private final Map<String, AttributeValue> values = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();
        private List<String> keyAttributes;

        public Builder dynamoDb(DynamoDbClient dynamoDb) {
            this.dynamoDb = dynamoDb;
            return this;
        }

        /** Prefix of this reader's keys in the ExecutionContext. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder tableName(String tableName) {
            request.tableName(tableName);
            return this;
        }

        public Builder indexName(String indexName) {
            request.indexName(indexName);
            return this;
        }

        /** E.g. {@code pk = :pk AND sk BETWEEN :from AND :to}, with {@link #value} for each placeholder. */
        public Builder keyCondition(String expression) {
            request.keyConditionExpression(expression);
            return this;
        }

        public Builder filter(String expression) {
            request.filterExpression(expression);
            return this;
        }

        public Builder value(String placeholder, String value) {
            values.put(placeholder, AttributeValue.fromS(value));
            return this;
        }

        public Builder value(String placeholder, AttributeValue value) {
            values.put(placeholder, value);
            return this;
        }

        public Builder attributeName(String placeholder, String name) {
            names.put(placeholder, name);
            return this;
        }

        /** false reads newest (highest sort key) first. */
        public Builder ascending(boolean ascending) {
            request.scanIndexForward(ascending);
            return this;
        }

        /** Items per page (Query's Limit); DynamoDB's 1 MB page limit applies either way. */
        public Builder pageSize(Integer pageSize) {
            request.limit(pageSize);
            return this;
        }

        public Builder consistentRead(boolean consistentRead) {
            request.consistentRead(consistentRead);
            return this;
        }

        /** The key attribute names (table's, then index's), to save a DescribeTable. */
        public Builder keyAttributes(String... attributeNames) {
            this.keyAttributes = List.of(attributeNames);
            return this;
        }

        public DynamoDbQueryItemReader build() {
            Assert.notNull(dynamoDb, "dynamoDb is required");
            if (!values.isEmpty()) {
                request.expressionAttributeValues(values);
            }
            if (!names.isEmpty()) {
                request.expressionAttributeNames(names);
            }
            QueryRequest built = request.build();
            Assert.hasText(built.tableName(), "tableName is required");
            Assert.hasText(built.keyConditionExpression(), "keyCondition is required");
            DynamoDbQueryItemReader reader = new DynamoDbQueryItemReader(dynamoDb, built, keyAttributes);
            reader.setName(name);
            return reader;
        }
    }
}
