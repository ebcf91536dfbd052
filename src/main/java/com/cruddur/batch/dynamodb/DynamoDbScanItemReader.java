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
        super(dynamoDb, request.tableName(), keyAttributes);
        this.request = request;
    }

    @Override
    protected SdkIterable<Map<String, AttributeValue>> items(Map<String, AttributeValue> exclusiveStartKey) {
        return dynamoDb.scanPaginator(request.toBuilder().exclusiveStartKey(exclusiveStartKey).build()).items();
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
        private String name = "scan";
        private final ScanRequest.Builder request = ScanRequest.builder();
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

        /** This reader's segment of {@code totalSegments}; leave both unset for a plain, single Scan. */
        public Builder segment(int segment, int totalSegments) {
            Assert.isTrue(totalSegments >= 1 && segment >= 0 && segment < totalSegments,
                    "segment must be in 0.." + (totalSegments - 1));
            if (totalSegments > 1) {
                request.segment(segment).totalSegments(totalSegments);
            }
            return this;
        }

        /** Items per page (Scan's Limit); DynamoDB's 1 MB page limit applies either way. */
        public Builder pageSize(Integer pageSize) {
            request.limit(pageSize);
            return this;
        }

        public Builder consistentRead(boolean consistentRead) {
            request.consistentRead(consistentRead);
            return this;
        }

        /** The key attribute names, to save a DescribeTable; found from the table when not given. */
        public Builder keyAttributes(String... names) {
            this.keyAttributes = List.of(names);
            return this;
        }

        public DynamoDbScanItemReader build() {
            Assert.notNull(dynamoDb, "dynamoDb is required");
            ScanRequest built = request.build();
            Assert.hasText(built.tableName(), "tableName is required");
            DynamoDbScanItemReader reader = new DynamoDbScanItemReader(dynamoDb, built, keyAttributes);
            reader.setName(name);
            return reader;
        }
    }
}
