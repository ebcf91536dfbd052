package com.cruddur.batch.dynamodb;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Builds a {@link DynamoDbBatchItemWriter}. Required: {@link #client}, {@link #tableName},
 * {@link #keyAttributes} and a mapper ({@link #itemMapper} for one item per value,
 * {@link #writeRequestsMapper} for puts and deletes). Defaults: concurrency 4, 10 attempts per request,
 * backoff from 50 ms up to 5 s, no write-behind, counters on Micrometer's global registry.
 */
public class DynamoDbBatchItemWriterBuilder<T> {

    DynamoDbClient client;
    String tableName;
    Function<? super T, ? extends Collection<WriteRequest>> mapper;
    List<String> keyAttributes;
    int concurrency = 4;
    boolean writeBehind;
    int maxAttempts = 10;
    Duration baseBackoff = Duration.ofMillis(50);
    Duration maxBackoff = Duration.ofSeconds(5);
    MeterRegistry meterRegistry;

    public DynamoDbBatchItemWriterBuilder<T> client(DynamoDbClient client) {
        this.client = client;
        return this;
    }

    public DynamoDbBatchItemWriterBuilder<T> tableName(String tableName) {
        this.tableName = tableName;
        return this;
    }

    /** Each value becomes one item. */
    public DynamoDbBatchItemWriterBuilder<T> itemMapper(Function<? super T, Map<String, AttributeValue>> itemMapper) {
        this.mapper = value -> List.of(DynamoDbBatchItemWriter.put(itemMapper.apply(value)));
        return this;
    }

    /**
     * Each value becomes puts and deletes ({@link DynamoDbBatchItemWriter#put},
     * {@link DynamoDbBatchItemWriter#delete}); a chunk's deletes go out after all its puts are written.
     */
    public DynamoDbBatchItemWriterBuilder<T> writeRequestsMapper(
            Function<? super T, ? extends Collection<WriteRequest>> writeRequestsMapper) {
        this.mapper = writeRequestsMapper;
        return this;
    }

    /** The table's key attribute names (hash, then range if any), used to drop duplicate keys. */
    public DynamoDbBatchItemWriterBuilder<T> keyAttributes(String... names) {
        this.keyAttributes = List.of(names);
        return this;
    }

    /** BatchWriteItem requests in flight at once; the DynamoDbClient's connection pool must allow as many. */
    public DynamoDbBatchItemWriterBuilder<T> concurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
        return this;
    }

    /**
     * Lets {@code write} return as soon as a chunk's requests are sent, so that they run while the step
     * reads and processes the next chunk; the next {@code write} (or {@code flush}) waits for them. Only
     * safe with the step's reader wrapped in a {@link CheckpointBehindReader} on this writer, which keeps
     * the restart position one chunk behind. Chunks with deletes are always written before write returns.
     * The writer must then be a bean of the job's application context (step-scoped, say): when its step
     * starts it looks the step up and refuses, with {@link WriteBehindStepCheck.UnsafeWriteBehindException},
     * a multi-threaded step or a fault-tolerant one that would retry or skip a failed write.
     */
    public DynamoDbBatchItemWriterBuilder<T> writeBehind(boolean writeBehind) {
        this.writeBehind = writeBehind;
        return this;
    }

    /** Calls per request, the first included, before the chunk fails. */
    public DynamoDbBatchItemWriterBuilder<T> maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    public DynamoDbBatchItemWriterBuilder<T> backoff(Duration base, Duration max) {
        this.baseBackoff = base;
        this.maxBackoff = max;
        return this;
    }

    /**
     * Where the retry and unprocessed-item counters go ({@link BatchWriteMetrics}); without one,
     * Micrometer's global registry.
     */
    public DynamoDbBatchItemWriterBuilder<T> meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    public DynamoDbBatchItemWriter<T> build() {
        return new DynamoDbBatchItemWriter<>(this);
    }
}
