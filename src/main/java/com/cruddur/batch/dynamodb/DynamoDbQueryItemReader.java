package com.cruddur.batch.dynamodb;

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
        super(dynamoDb, request.tableName(), request.indexName(), keyAttributes);
        this.request = request;
    }

    @Override
    protected SdkIterable<Map<String, AttributeValue>> items(Map<String, AttributeValue> exclusiveStartKey) {
        return dynamoDb.queryPaginator(request.toBuilder().exclusiveStartKey(exclusiveStartKey).build()).items();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shared settings ({@link DynamoDbPagingItemReaderBuilder}) plus the key condition and the order. */
    public static final class Builder extends DynamoDbPagingItemReaderBuilder<Builder> {
        private String keyCondition;
        private Boolean ascending;

        Builder() {
            super("query");
        }

        /** E.g. {@code pk = :pk AND sk BETWEEN :from AND :to}, with {@link #value} for each placeholder. */
        public Builder keyCondition(String expression) {
            this.keyCondition = expression;
            return this;
        }

        /** false reads newest (highest sort key) first. */
        public Builder ascending(boolean ascending) {
            this.ascending = ascending;
            return this;
        }

        public DynamoDbQueryItemReader build() {
            checkCommon();
            Assert.hasText(keyCondition, "keyCondition is required");
            QueryRequest request = QueryRequest.builder().tableName(tableName).indexName(indexName)
                    .keyConditionExpression(keyCondition).filterExpression(filter)
                    .expressionAttributeValues(values()).expressionAttributeNames(names())
                    .scanIndexForward(ascending).limit(pageSize).consistentRead(consistentRead).build();
            return named(new DynamoDbQueryItemReader(dynamoDb, request, keyAttributes));
        }
    }
}
