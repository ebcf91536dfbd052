package com.cruddur.batch.schema;

import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Polls DescribeTable at a short interval. The SDK's waiters poll every 20 s, which is most of a
 * CI job's set-up time against dynalite, where a table is ACTIVE within a second: there the first
 * {@link #FAST_POLLS_FOR} are polled every {@link #FAST_POLL_INTERVAL}, so the wait ends within 50 ms of
 * the change; AWS, which takes seconds, is polled every {@link #POLL_INTERVAL} after that.
 */
final class TableWaiter {

    static final Duration FAST_POLL_INTERVAL = Duration.ofMillis(50);
    static final Duration FAST_POLLS_FOR = Duration.ofSeconds(2);
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final DynamoDbClient dynamoDb;

    TableWaiter(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    Optional<TableDescription> describe(String table) {
        try {
            return Optional.of(dynamoDb.describeTable(r -> r.tableName(table)).table());
        }
        catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Waits until the table and every one of its indexes are ACTIVE. */
    TableDescription awaitActive(String table, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Optional<TableDescription> description = describe(table);
            if (description.isPresent() && isActive(description.get())) {
                return description.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " not ACTIVE after " + timeout.toSeconds()
                        + " s; last status " + description.map(TableDescription::tableStatusAsString).orElse("missing"));
            }
            Thread.sleep(interval(start));
        }
    }

    void awaitGone(String table, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (describe(table).isPresent()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " still exists after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(interval(start));
        }
    }

    private static long interval(long start) {
        boolean early = System.nanoTime() - start < FAST_POLLS_FOR.toNanos();
        return (early ? FAST_POLL_INTERVAL : POLL_INTERVAL).toMillis();
    }

    private static boolean isActive(TableDescription table) {
        return table.tableStatus() == TableStatus.ACTIVE
                && table.globalSecondaryIndexes().stream().allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE);
    }
}
