package com.cruddur.batch.seed;

import org.springframework.batch.core.step.skip.SkipLimitExceededException;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;

/**
 * Skips malformed lines and rejected rows up to {@code skip-limit}; the next one fails the step with a
 * reason that names the limit and the row that broke it (Spring Batch's own limit policy would
 * report only the row's reason, which reads like a crash).
 */
public class SeedSkipPolicy implements SkipPolicy {

    private final long limit;
    private final String file;

    public SeedSkipPolicy(long limit, String file) {
        this.limit = limit;
        this.file = file;
    }

    @Override
    public boolean shouldSkip(Throwable t, long skipCount) throws SkipLimitExceededException {
        if (!(t instanceof FlatFileParseException) && !(t instanceof RejectedRowException)) {
            return false;
        }
        if (skipCount >= 0 && skipCount >= limit) {
            throw new SkipLimitExceededException(limit, new TooManyRejectsException("more than " + limit
                    + " rejected row(s) (skip-limit=" + limit + "); the next was " + where(t)));
        }
        return true;
    }

    /** The root cause of the failed step, so its message is the run's one-line reason. */
    public static class TooManyRejectsException extends RuntimeException {
        public TooManyRejectsException(String message) {
            super(message);
        }
    }

    private String where(Throwable t) {
        if (t instanceof RejectedRowException rejected) {
            return rejected.where();
        }
        FlatFileParseException parse = (FlatFileParseException) t;
        return file + " line " + parse.getLineNumber() + ": " + SeedRejectsListener.reason(parse);
    }
}
