package com.cruddur.batch.dynamodb;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.micrometer.core.instrument.Metrics;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes each chunk to one DynamoDB table with {@code BatchWriteItem}: requests of at most 25 items
 * and 16 MB, up to {@code concurrency} of them in flight at once. Built by
 * {@link DynamoDbBatchItemWriterBuilder}; the work is shared out as follows.
 * <ul>
 * <li>{@link BatchWriteRequests}: items with the same key in one chunk are written once, the last one
 * wins; requests of 25 items and 16 MB at most; items over 400 KB are refused.</li>
 * <li>{@link BatchWriteRetry}: {@code UnprocessedItems} and throttling errors that the SDK's own retries
 * did not absorb are retried with exponential backoff and full jitter, up to {@code maxAttempts} calls per
 * request; then {@link #write} throws {@link DynamoDbBatchWriteException} naming the table and how many
 * items were not written, so the chunk fails and a restart writes it again. No item is ever dropped.
 * Retries and unprocessed items are Micrometer counters ({@link BatchWriteMetrics}).</li>
 * <li>{@link BatchWriteExecutor}: the threads that send the requests.</li>
 * <li>Deletes (from {@link DynamoDbBatchItemWriterBuilder#writeRequestsMapper}) are sent only after every
 * put of the chunk is written, so an item that replaces another under a new key (a group row moving to a
 * newer {@code sk}) is never missing in between.</li>
 * <li>{@code write} returns only when every request of the chunk has ended, so nothing is in flight
 * when the step commits or fails, unless built with {@link DynamoDbBatchItemWriterBuilder#writeBehind}
 * ({@link WriteBehind}, {@link CheckpointBehindReader}); such a writer checks its step when the step
 * starts and refuses one where writing behind is unsafe ({@link WriteBehindStepCheck}).</li>
 * </ul>
 * Puts are idempotent, so writing a chunk again after a failure or a restart is safe. Close the writer
 * (Spring does for a bean) to stop its threads.
 *
 * @param <T> the item type; a mapper turns each into one or more DynamoDB items (or write requests)
 */
public class DynamoDbBatchItemWriter<T> implements ItemWriter<T>, StepExecutionListener, ApplicationContextAware,
        AutoCloseable {

    /** DynamoDB's limits for one BatchWriteItem request and one item. */
    public static final int MAX_ITEMS_PER_REQUEST = 25;
    public static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    public static final long MAX_ITEM_BYTES = 400L * 1024;

    private final Function<? super T, ? extends Collection<WriteRequest>> mapper;
    private final BatchWriteRequests requests;
    private final BatchWriteRetry retry;
    private final BatchWriteExecutor executor;
    /** Null unless the writer writes behind. */
    private final WriteBehind writeBehind;
    private ApplicationContext applicationContext;

    DynamoDbBatchItemWriter(DynamoDbBatchItemWriterBuilder<T> builder) {
        DynamoDbClient client = Objects.requireNonNull(builder.client, "client");
        String tableName = Objects.requireNonNull(builder.tableName, "tableName");
        this.mapper = Objects.requireNonNull(builder.mapper, "itemMapper");
        this.requests = new BatchWriteRequests(tableName, Objects.requireNonNull(builder.keyAttributes, "keyAttributes"));
        this.retry = new BatchWriteRetry(client, tableName, builder.maxAttempts, builder.baseBackoff, builder.maxBackoff,
                new BatchWriteMetrics(builder.meterRegistry != null ? builder.meterRegistry : Metrics.globalRegistry,
                        tableName));
        this.executor = new BatchWriteExecutor(tableName, builder.concurrency, retry);
        this.writeBehind = builder.writeBehind ? new WriteBehind() : null;
    }

    public static <T> DynamoDbBatchItemWriterBuilder<T> builder() {
        return new DynamoDbBatchItemWriterBuilder<>();
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        List<WriteRequest> mapped = new ArrayList<>(chunk.size());
        for (T value : chunk) {
            mapped.addAll(mapper.apply(value));
        }
        BatchWriteRequests.Prepared prepared = requests.prepare(mapped);
        if (writeBehind != null && writeBehind.takes(prepared)) {
            writeBehind.write(prepared, executor);
            return;
        }
        flush();
        BatchWriteExecutor.await(executor.submit(prepared.puts()));
        BatchWriteExecutor.await(executor.submit(prepared.deletes()));
    }

    /**
     * Write-behind: waits until the requests of the last chunk have ended, and throws if one failed.
     * Nothing is in flight afterwards. Without write-behind there is never anything to wait for.
     */
    public void flush() throws Exception {
        if (writeBehind != null) {
            writeBehind.flush();
        }
    }

    /**
     * Write-behind: the input is exhausted, so the step is about to end. Every chunk from now on is
     * written before {@code write} returns, so the step's last commit comes after its last item.
     */
    public void endOfInput() {
        if (writeBehind != null) {
            writeBehind.endOfInput();
        }
    }

    public boolean writesBehind() {
        return writeBehind != null;
    }

    /** Write-behind: refuses, before anything is read, a step in which writing behind is unsafe. */
    @Override
    public void beforeStep(StepExecution stepExecution) {
        if (writeBehind != null) {
            WriteBehindStepCheck.check(WriteBehindStepCheck.find(applicationContext,
                    stepExecution.getJobExecution().getJobInstance().getJobName(), stepExecution.getStepName()));
        }
    }

    /** Set by Spring for a writer that is a bean: the write-behind check finds its step through it. */
    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    /** BatchWriteItem calls made so far, first attempts and retries. */
    public long requestCount() {
        return retry.requestCount();
    }

    /** Items sent again because they came back unprocessed or their request was throttled. */
    public long retriedItemCount() {
        return retry.retriedItemCount();
    }

    @Override
    public void close() {
        executor.close();
    }

    /** A put of the item, for mappers that mix puts and deletes. */
    public static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    /** A delete of the item with this key. */
    public static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    /**
     * DynamoDB's item size: attribute names plus values (UTF-8 bytes of strings, raw bytes of binaries,
     * an approximation for numbers and nested types that errs on the large side).
     */
    public static long itemSize(Map<String, AttributeValue> item) {
        return BatchWriteRequests.itemSize(item);
    }

    /** The chunk could not be written completely; a restart writes it again. */
    public static class DynamoDbBatchWriteException extends RuntimeException {
        public DynamoDbBatchWriteException(String message) {
            super(message);
        }

        public DynamoDbBatchWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An item over DynamoDB's 400 KB limit: no request could ever store it. */
    public static class ItemTooLargeException extends IllegalArgumentException {
        public ItemTooLargeException(String message) {
            super(message);
        }
    }
}
