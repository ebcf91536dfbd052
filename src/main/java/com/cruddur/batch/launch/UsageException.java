package com.cruddur.batch.launch;

/** A mistake on the command line: reported as one line, exit code {@link ExitCodes#USAGE}, no stack trace. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }
}
