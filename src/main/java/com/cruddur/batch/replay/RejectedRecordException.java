package com.cruddur.batch.replay;

/**
 * A record that cannot be replayed (malformed JSON, no keys, no new image). Skippable: it goes to the
 * rejects file with its source and reason, and the job fails only past the skip limit.
 */
public class RejectedRecordException extends RuntimeException {

    private final String source;
    private final String reason;
    private final String raw;

    public RejectedRecordException(String source, String reason, String raw) {
        super(source + ": " + reason);
        this.source = source;
        this.reason = reason;
        this.raw = raw;
    }

    public String source() {
        return source;
    }

    public String reason() {
        return reason;
    }

    /** The rejected text, if any (a line of a file). */
    public String raw() {
        return raw;
    }
}
