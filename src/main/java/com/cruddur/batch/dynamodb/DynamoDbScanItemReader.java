package com.cruddur.batch.dynamodb;

import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * One segment of a (parallel) Scan. Give each partition of a partitioned step its own reader with its
 * own {@code segment}; each keeps its segment's position in its own step's ExecutionContext.
 */
public class DynamoDbScanItemReader extends DynamoDbPagingItemReader {

    private final ScanRequest request;

    DynamoDbScanItemReader(DynamoDbClient dynamoDb, ScanRequest request, List<String> keyAttributes) {
        super(dynamoDb, request.tableName(), request.indexName(), keyAttributes);
        this.request = request;
    }

    @Override
    protected SdkIterable<Map<String, AttributeValue>> items(Map<String, AttributeValue> exclusiveStartKey) {
        return dynamoDb.scanPaginator(request.toBuilder().exclusiveStartKey(exclusiveStartKey).build()).items();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The shared settings ({@link DynamoDbPagingItemReaderBuilder}) plus the segment. */
    public static final class Builder extends DynamoDbPagingItemReaderBuilder<Builder> {
        private Integer segment;
        private Integer totalSegments;

        Builder() {
            super("scan");
        }

        /** This reader's segment of {@code totalSegments}; leave both unset for a plain, single Scan. */
        public Builder segment(int segment, int totalSegments) {
            Assert.isTrue(totalSegments >= 1 && segment >= 0 && segment < totalSegments,
                    "segment must be in 0.." + (totalSegments - 1));
            this.segment = totalSegments > 1 ? segment : null;
            this.totalSegments = totalSegments > 1 ? totalSegments : null;
            return this;
        }

        public DynamoDbScanItemReader build() {
            checkCommon();
            ScanRequest request = ScanRequest.builder().tableName(tableName).indexName(indexName)
                    .filterExpression(filter).expressionAttributeValues(values()).expressionAttributeNames(names())
                    .segment(segment).totalSegments(totalSegments).limit(pageSize).consistentRead(consistentRead)
                    .build();
            return named(new DynamoDbScanItemReader(dynamoDb, request, keyAttributes));
        }
    }
}
