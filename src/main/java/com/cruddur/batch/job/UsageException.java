package com.cruddur.batch.job;

/** A mistake on the command line: reported as one line, exit code 2, no stack trace. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
