package com.cruddur.batch.dynamodb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The writer's threads: up to {@code concurrency} BatchWriteItem requests in flight, the rest queued
 * (never refused, so that a write-behind chunk can be queued behind the previous one without blocking).
 * A Spring {@link ThreadPoolTaskExecutor} of daemon threads that end when idle; {@link #close} stops them.
 */
final class BatchWriteExecutor implements AutoCloseable {

    private final ThreadPoolTaskExecutor threads;
    private final BatchWriteRetry retry;

    BatchWriteExecutor(String tableName, int concurrency, BatchWriteRetry retry) {
        this.retry = retry;
        threads = new ThreadPoolTaskExecutor();
        threads.setCorePoolSize(concurrency);
        threads.setMaxPoolSize(concurrency);
        threads.setKeepAliveSeconds(30);
        threads.setAllowCoreThreadTimeOut(true);
        threads.setThreadNamePrefix("dynamodb-writer-" + tableName + "-");
        threads.setDaemon(true);
        threads.initialize();
    }

    /** Starts every batch; each future ends when its items are written or it has failed. */
    List<Future<?>> submit(List<List<WriteRequest>> batches) {
        List<Future<?>> inFlight = new ArrayList<>(batches.size());
        for (List<WriteRequest> batch : batches) {
            inFlight.add(threads.submit(() -> {
                retry.write(batch);
                return null;
            }));
        }
        return inFlight;
    }

    /**
     * Waits for every request, even after one failed, so that a chunk that fails has nothing still
     * running; then throws the first failure, the others suppressed in it.
     */
    static void await(List<Future<?>> inFlight) throws Exception {
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

    /** Waits like {@link #await}, adding a failure to the one already being thrown. */
    static void awaitQuietly(List<Future<?>> inFlight, Exception failure) {
        try {
            await(inFlight);
        }
        catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        threads.shutdown();
    }
}
