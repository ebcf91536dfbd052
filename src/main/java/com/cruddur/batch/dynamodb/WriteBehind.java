package com.cruddur.batch.dynamodb;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Write-behind: {@code write} returns once a chunk's requests are sent, so that they run while the step
 * reads and processes the next chunk; the next {@code write} waits for them before it returns, and fails
 * if one of them failed. A key also in the chunk still in flight waits for it, so the later value wins.
 * Chunks with deletes, and every chunk after the end of the input, are written before {@code write}
 * returns. Safe only with the step's reader wrapped in a {@link CheckpointBehindReader}, which keeps the
 * restart position one chunk behind, in a step that neither retries nor skips writes and runs on one
 * thread ({@link WriteBehindStepCheck}).
 */
final class WriteBehind {

    /** The requests of the previous chunk, still running while the step reads the next. */
    private List<Future<?>> inFlight = List.of();
    /** The keys of that chunk. */
    private Set<List<AttributeValue>> keys = Set.of();
    /** Set when the input is exhausted; from then on every chunk is written before write returns. */
    private volatile boolean endOfInput;

    /** Whether this chunk may be left running when write returns. */
    boolean takes(BatchWriteRequests.Prepared chunk) {
        return !endOfInput && chunk.deletes().isEmpty();
    }

    /** Sends the chunk's puts, then waits for the previous chunk: returns with this one in flight. */
    void write(BatchWriteRequests.Prepared chunk, BatchWriteExecutor executor) throws Exception {
        // This chunk's requests queue up behind the previous chunk's, so the writer threads never run dry
        // at a chunk boundary; a key also in the previous chunk waits for it, so the later value wins.
        if (!Collections.disjoint(keys, chunk.keys())) {
            flush();
        }
        List<Future<?>> submitted = executor.submit(chunk.puts());
        try {
            // The previous chunk must be written before this one commits (the restart position then
            // covers it); its failure fails this chunk, once this chunk's requests have ended too.
            flush();
        }
        catch (Exception e) {
            BatchWriteExecutor.awaitQuietly(submitted, e);
            throw e;
        }
        inFlight = submitted;
        keys = chunk.keys();
    }

    /** Waits until the last chunk's requests have ended, and throws if one failed. */
    void flush() throws Exception {
        List<Future<?>> previous = inFlight;
        inFlight = List.of();
        keys = Set.of();
        BatchWriteExecutor.await(previous);
    }

    void endOfInput() {
        endOfInput = true;
    }
}
