package com.cruddur.batch.launch;

/**
 * One command word of the command line ({@code restart}, {@code schedule}, ...). A new command is a class
 * implementing this plus one entry in {@link Launcher#COMMANDS}; a word that is no command names a job.
 */
public interface Command {

    /**
     * Checks the arguments first (a {@link com.cruddur.batch.job.UsageException} is one line, exit 2,
     * before Spring starts), then does the work, usually in {@link Invocation#inContext}.
     *
     * @return the process exit code ({@link ExitCodes})
     */
    int run(Invocation invocation);

    /** {@code <command> --help}: prints the usage and runs nothing. */
    default int help(Invocation invocation) {
        Help.printAll(invocation.console().out());
        return ExitCodes.COMPLETED;
    }
}
