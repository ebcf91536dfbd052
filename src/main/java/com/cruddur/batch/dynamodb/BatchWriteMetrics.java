package com.cruddur.batch.dynamodb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The writer's Micrometer counters, tagged with the table:
 * <ul>
 * <li>{@value #RETRIES}: BatchWriteItem calls that were retries (after unprocessed items or throttling);</li>
 * <li>{@value #UNPROCESSED}: items DynamoDB returned in {@code UnprocessedItems} (each is sent again).</li>
 * </ul>
 * In Prometheus' format they read {@code cruddur_dynamodb_batchwrite_retries_total{table="..."}} and
 * {@code cruddur_dynamodb_batchwrite_unprocessed_total{table="..."}}.
 */
final class BatchWriteMetrics {

    static final String RETRIES = "cruddur.dynamodb.batchwrite.retries";
    static final String UNPROCESSED = "cruddur.dynamodb.batchwrite.unprocessed";

    private final Counter retries;
    private final Counter unprocessed;

    BatchWriteMetrics(MeterRegistry registry, String tableName) {
        this.retries = Counter.builder(RETRIES).tag("table", tableName)
                .description("BatchWriteItem calls that were retries after unprocessed items or throttling")
                .register(registry);
        this.unprocessed = Counter.builder(UNPROCESSED).tag("table", tableName)
                .description("Items that BatchWriteItem returned unprocessed").register(registry);
    }

    void retried() {
        retries.increment();
    }

    void unprocessed(int items) {
        unprocessed.increment(items);
    }
}
