package com.cruddur.batch.seed;

/** A seed row that cannot be stored: where it is, and the reason written to the rejects file. */
public class RejectedRowException extends RuntimeException {

    private final transient CsvLine line;

    public RejectedRowException(CsvLine line, String reason) {
        super(reason);
        this.line = line;
    }

    public CsvLine line() {
        return line;
    }

    /** {@code <file> line <n>: <reason>} */
    public String where() {
        return line.file() + " line " + line.number() + ": " + getMessage();
    }
}
