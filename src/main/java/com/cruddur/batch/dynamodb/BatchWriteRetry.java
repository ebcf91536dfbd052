package com.cruddur.batch.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Sends one {@code BatchWriteItem} request until every item of it is written, through Spring's
 * {@link RetryTemplate}: items that come back in {@code UnprocessedItems}, and requests refused by
 * throttling that the SDK's own retries did not absorb ({@link BatchWriteErrors#isRetryable}), are sent
 * again after a pause with exponential backoff and full jitter, up to {@code maxAttempts} calls in all.
 * Then, or at once for any other error, {@link DynamoDbBatchItemWriter.DynamoDbBatchWriteException} says
 * how many items were not written to which table. Retries and unprocessed items are counted in
 * {@link BatchWriteMetrics}.
 */
final class BatchWriteRetry {

    private final DynamoDbClient client;
    private final String tableName;
    private final int maxAttempts;
    private final RetryTemplate retryTemplate;
    private final BatchWriteMetrics metrics;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retriedItems = new AtomicLong();

    BatchWriteRetry(DynamoDbClient client, String tableName, int maxAttempts, Duration baseBackoff,
            Duration maxBackoff, BatchWriteMetrics metrics) {
        this.client = client;
        this.tableName = tableName;
        this.maxAttempts = maxAttempts;
        this.metrics = metrics;
        BackOff backOff = new FullJitterBackOff(baseBackoff.toMillis(), maxBackoff.toMillis(), maxAttempts - 1);
        this.retryTemplate = new RetryTemplate(new RetryPolicy() {
            @Override
            public boolean shouldRetry(Throwable failure) {
                return failure instanceof RetryableFailure;
            }

            @Override
            public BackOff getBackOff() {
                return backOff;
            }
        });
    }

    /** Writes every item of the batch, or throws; blocks while it backs off. */
    void write(List<WriteRequest> batch) throws InterruptedException {
        Attempts attempts = new Attempts(batch);
        try {
            retryTemplate.execute(attempts);
        }
        catch (RetryException e) {
            Throwable last = e.getCause();
            if (last instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (last instanceof RetryableFailure failure) {
                throw new DynamoDbBatchItemWriter.DynamoDbBatchWriteException(failure.items + " item(s) not written to table "
                        + tableName + " after " + attempts.count + " BatchWriteItem attempts; last: " + failure.getMessage());
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (last instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(last);
        }
    }

    /** BatchWriteItem calls made so far, first attempts and retries. */
    long requestCount() {
        return requests.get();
    }

    /** Items sent again because they came back unprocessed or their request was throttled. */
    long retriedItemCount() {
        return retriedItems.get();
    }

    /** The calls for one batch; each sends what the previous left unprocessed. */
    private final class Attempts implements Retryable<Void> {

        private List<WriteRequest> pending;
        private int count;

        Attempts(List<WriteRequest> batch) {
            this.pending = batch;
        }

        @Override
        public Void execute() {
            if (count++ > 0) {
                retriedItems.addAndGet(pending.size());
                metrics.retried();
            }
            requests.incrementAndGet();
            Map<String, List<WriteRequest>> requestItems = Map.of(tableName, pending);
            BatchWriteItemResponse response;
            try {
                response = client.batchWriteItem(r -> r.requestItems(requestItems));
            }
            catch (SdkException e) {
                if (!BatchWriteErrors.isRetryable(e)) {
                    throw new DynamoDbBatchItemWriter.DynamoDbBatchWriteException("BatchWriteItem to table " + tableName
                            + " failed (" + pending.size() + " item(s) not written): " + e.getMessage(), e);
                }
                throw new RetryableFailure(pending.size(), "throttled: " + e.getMessage());
            }
            List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(tableName, List.of());
            if (unprocessed.isEmpty()) {
                return null;
            }
            metrics.unprocessed(unprocessed.size());
            pending = unprocessed;
            throw new RetryableFailure(unprocessed.size(), unprocessed.size() + " item(s) came back unprocessed");
        }

        @Override
        public String getName() {
            return "BatchWriteItem to " + tableName;
        }
    }

    /** Worth another attempt: items came back unprocessed, or the request was throttled. */
    private static final class RetryableFailure extends RuntimeException {

        final int items;

        RetryableFailure(int items, String problem) {
            super(problem, null, false, false);
            this.items = items;
        }
    }

    /**
     * Exponential backoff with full jitter: before retry n (from 1), a pause uniform in
     * [0, min(max, base * 2^(n-1))] ms; no pause and no retry after {@code maxRetries}.
     */
    record FullJitterBackOff(long baseMillis, long maxMillis, int maxRetries) implements BackOff {

        @Override
        public BackOffExecution start() {
            return new BackOffExecution() {
                private int retries;

                @Override
                public long nextBackOff() {
                    if (retries >= maxRetries) {
                        return STOP;
                    }
                    long ceiling = Math.min(maxMillis, baseMillis << Math.min(retries++, 20));
                    return ThreadLocalRandom.current().nextLong(ceiling + 1);
                }
            };
        }
    }
}
