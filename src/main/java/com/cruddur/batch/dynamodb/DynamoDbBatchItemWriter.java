package com.cruddur.batch.dynamodb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes each chunk to one DynamoDB table with {@code BatchWriteItem}: requests of at most 25 items
 * and 16 MB, up to {@code concurrency} of them in flight at once.
 * <ul>
 * <li>Items with the same key in one chunk are written once, the last one wins (DynamoDB rejects a
 * request that holds one key twice, and concurrent requests would race).</li>
 * <li>{@code UnprocessedItems} and throttling errors that the SDK's own retries did not absorb are
 * retried with exponential backoff and full jitter, up to {@code maxAttempts} calls per request; then
 * {@link #write} throws {@link DynamoDbBatchWriteException} naming the table and how many items were
 * not written, so the chunk fails and a restart writes it again. No item is ever dropped.</li>
 * <li>Deletes (from {@link DynamoDbBatchItemWriterBuilder#writeRequestsMapper}) are sent only after every
 * put of the chunk is written, so an item that replaces another under a new key (a group row moving to a
 * newer {@code sk}) is never missing in between.</li>
 * <li>{@code write} returns only when every request of the chunk has ended, so nothing is in flight
 * when the step commits or fails, unless built with {@link DynamoDbBatchItemWriterBuilder#writeBehind}
 * (see {@link CheckpointBehindReader}).</li>
 * </ul>
 * Puts are idempotent, so writing a chunk again after a failure or a restart is safe. Close the writer
 * (Spring does for a bean) to stop its threads.
 *
 * @param <T> the item type; a mapper turns each into one or more DynamoDB items (or write requests)
 */
public class DynamoDbBatchItemWriter<T> implements ItemWriter<T>, AutoCloseable {

    /** DynamoDB's limits for one BatchWriteItem request and one item. */
    public static final int MAX_ITEMS_PER_REQUEST = 25;
    public static final long MAX_REQUEST_BYTES = 16L * 1024 * 1024;
    public static final long MAX_ITEM_BYTES = 400L * 1024;

    private static final Logger log = LoggerFactory.getLogger(DynamoDbBatchItemWriter.class);

    private final DynamoDbClient client;
    private final String tableName;
    private final Function<? super T, ? extends Collection<WriteRequest>> mapper;
    private final List<String> keyAttributes;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final ExecutorService executor;

    private final boolean writeBehind;
    /** Write-behind: the requests of the previous chunk, still running while the step reads the next. */
    private List<Future<?>> writingBehind = List.of();
    /** Write-behind: the keys of that chunk. */
    private Set<List<AttributeValue>> keysBehind = Set.of();
    /** Write-behind: set when the input is exhausted; from then on every chunk is written before write returns. */
    private volatile boolean endOfInput;

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retriedItems = new AtomicLong();

    DynamoDbBatchItemWriter(DynamoDbBatchItemWriterBuilder<T> builder) {
        this.client = Objects.requireNonNull(builder.client, "client");
        this.tableName = Objects.requireNonNull(builder.tableName, "tableName");
        this.mapper = Objects.requireNonNull(builder.mapper, "itemMapper");
        this.keyAttributes = List.copyOf(Objects.requireNonNull(builder.keyAttributes, "keyAttributes"));
        this.maxAttempts = builder.maxAttempts;
        this.baseBackoff = builder.baseBackoff;
        this.maxBackoff = builder.maxBackoff;
        this.writeBehind = builder.writeBehind;
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(builder.concurrency, builder.concurrency, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "dynamodb-writer-" + tableName + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    public static <T> DynamoDbBatchItemWriterBuilder<T> builder() {
        return new DynamoDbBatchItemWriterBuilder<>();
    }

    @Override
    public void write(Chunk<? extends T> chunk) throws Exception {
        Map<List<AttributeValue>, WriteRequest> byKey = deduplicated(chunk);
        List<WriteRequest> puts = new ArrayList<>();
        List<WriteRequest> deletes = new ArrayList<>();
        for (WriteRequest request : byKey.values()) {
            (request.putRequest() != null ? puts : deletes).add(request);
        }
        List<List<WriteRequest>> putBatches = batches(puts);
        List<List<WriteRequest>> deleteBatches = batches(deletes);
        if (writeBehind && !endOfInput && deleteBatches.isEmpty()) {
            // This chunk's requests queue up behind the previous chunk's, so the writer threads never run
            // dry at a chunk boundary; a key also in the previous chunk waits for it, so the later value wins.
            if (!Collections.disjoint(keysBehind, byKey.keySet())) {
                flush();
            }
            List<Future<?>> submitted = submit(putBatches);
            try {
                // The previous chunk must be written before this one commits (the restart position then
                // covers it); its failure fails this chunk, once this chunk's requests have ended too.
                flush();
            }
            catch (Exception e) {
                awaitQuietly(submitted, e);
                throw e;
            }
            writingBehind = submitted;
            keysBehind = byKey.keySet();
            return;
        }
        flush();
        await(submit(putBatches));
        await(submit(deleteBatches));
    }

    /**
     * Write-behind: waits until the requests of the last chunk have ended, and throws if one failed.
     * Nothing is in flight afterwards. Without write-behind there is never anything to wait for.
     */
    public void flush() throws Exception {
        List<Future<?>> previous = writingBehind;
        writingBehind = List.of();
        keysBehind = Set.of();
        await(previous);
    }

    private static void awaitQuietly(List<Future<?>> inFlight, Exception failure) {
        try {
            await(inFlight);
        }
        catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Write-behind: the input is exhausted, so the step is about to end. Every chunk from now on is
     * written before {@code write} returns, so the step's last commit comes after its last item.
     */
    public void endOfInput() {
        endOfInput = true;
    }

    public boolean writesBehind() {
        return writeBehind;
    }

    private List<Future<?>> submit(List<List<WriteRequest>> batches) {
        List<Future<?>> inFlight = new ArrayList<>(batches.size());
        for (List<WriteRequest> batch : batches) {
            inFlight.add(executor.submit(() -> {
                writeBatch(batch);
                return null;
            }));
        }
        return inFlight;
    }

    private static void await(List<Future<?>> inFlight) throws Exception {
        // Wait for every request, even after one failed: a chunk that fails has nothing still running.
        Exception failure = null;
        for (Future<?> request : inFlight) {
            try {
                request.get();
            }
            catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception ex ? ex : e;
                if (failure == null) {
                    failure = cause;
                }
                else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** BatchWriteItem calls made so far, first attempts and retries. */
    public long requestCount() {
        return requests.get();
    }

    /** Items sent again because they came back unprocessed or their request was throttled. */
    public long retriedItemCount() {
        return retriedItems.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Map<List<AttributeValue>, WriteRequest> deduplicated(Chunk<? extends T> chunk) {
        Map<List<AttributeValue>, WriteRequest> byKey = new LinkedHashMap<>();
        for (T value : chunk) {
            for (WriteRequest request : mapper.apply(value)) {
                Map<String, AttributeValue> item = attributes(request);
                List<AttributeValue> key = new ArrayList<>(keyAttributes.size());
                for (String name : keyAttributes) {
                    AttributeValue part = item.get(name);
                    if (part == null) {
                        // Key values and attribute names only: the item's other values are record contents
                        // (message text, names), and this message becomes the run's reason line and a log line.
                        throw new IllegalArgumentException("an item for table " + tableName + " has no key attribute '"
                                + name + "' " + key(item) + "; its attributes: " + String.join(", ", new TreeSet<>(item.keySet())));
                    }
                    key.add(part);
                }
                // remove first so that the last occurrence also takes the last position
                byKey.remove(key);
                byKey.put(key, request);
            }
        }
        return byKey;
    }

    private static Map<String, AttributeValue> attributes(WriteRequest request) {
        return request.putRequest() != null ? request.putRequest().item() : request.deleteRequest().key();
    }

    private List<List<WriteRequest>> batches(Collection<WriteRequest> requests) {
        List<List<WriteRequest>> batches = new ArrayList<>();
        List<WriteRequest> current = new ArrayList<>();
        long currentBytes = 0;
        for (WriteRequest request : requests) {
            Map<String, AttributeValue> item = attributes(request);
            long size = itemSize(item);
            if (size > MAX_ITEM_BYTES) {
                throw new ItemTooLargeException("item " + key(item) + " is " + size + " bytes; DynamoDB allows "
                        + MAX_ITEM_BYTES);
            }
            if (current.size() == MAX_ITEMS_PER_REQUEST || currentBytes + size > MAX_REQUEST_BYTES) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(request);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** A put of the item, for mappers that mix puts and deletes. */
    public static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    /** A delete of the item with this key. */
    public static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    private void writeBatch(List<WriteRequest> batch) throws InterruptedException {
        List<WriteRequest> pending = batch;
        for (int attempt = 1;; attempt++) {
            String problem;
            try {
                requests.incrementAndGet();
                Map<String, List<WriteRequest>> requestItems = Map.of(tableName, pending);
                BatchWriteItemResponse response = client.batchWriteItem(r -> r.requestItems(requestItems));
                List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(tableName, List.of());
                if (unprocessed.isEmpty()) {
                    return;
                }
                pending = unprocessed;
                problem = unprocessed.size() + " item(s) came back unprocessed";
            }
            catch (SdkException e) {
                if (!BatchWriteErrors.isRetryable(e)) {
                    throw new DynamoDbBatchWriteException("BatchWriteItem to table " + tableName + " failed ("
                            + pending.size() + " item(s) not written): " + e.getMessage(), e);
                }
                problem = "throttled: " + e.getMessage();
            }
            if (attempt >= maxAttempts) {
                throw new DynamoDbBatchWriteException(pending.size() + " item(s) not written to table " + tableName
                        + " after " + attempt + " BatchWriteItem attempts; last: " + problem);
            }
            retriedItems.addAndGet(pending.size());
            long sleep = backoffMillis(attempt);
            log.debug("table {}: {}; retry {} of {} in {} ms", tableName, problem, attempt, maxAttempts - 1, sleep);
            Thread.sleep(sleep);
        }
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
    long backoffMillis(int attempt) {
        long ceiling = Math.min(maxBackoff.toMillis(), baseBackoff.toMillis() << Math.min(attempt - 1, 20));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    private String key(Map<String, AttributeValue> item) {
        StringBuilder text = new StringBuilder();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(value == null ? null : value.s());
        }
        return "(" + text + ")";
    }

    /**
     * DynamoDB's item size: attribute names plus values (UTF-8 bytes of strings, raw bytes of binaries,
     * an approximation for numbers and nested types that errs on the large side).
     */
    public static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8(attribute.getKey()) + valueSize(attribute.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue value) {
        if (value.s() != null) {
            return utf8(value.s());
        }
        if (value.n() != null) {
            return value.n().length() + 1;
        }
        if (value.b() != null) {
            return value.b().asByteArray().length;
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(DynamoDbBatchItemWriter::utf8).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(n -> n.length() + 1).sum();
        }
        if (value.hasBs()) {
            return value.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        if (value.hasM()) {
            return 3 + value.m().entrySet().stream()
                    .mapToLong(e -> utf8(e.getKey()) + valueSize(e.getValue()) + 1).sum();
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToLong(v -> valueSize(v) + 1).sum();
        }
        return 1; // BOOL, NULL
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
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
