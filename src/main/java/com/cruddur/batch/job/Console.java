package com.cruddur.batch.job;

import java.io.PrintStream;

/**
 * Where jobs print what the user asked for (listings, reports, summaries). Logs go to stderr, so
 * stdout stays clean enough to pipe; tests hand in their own streams.
 */
public record Console(PrintStream out, PrintStream err) {

    public void println(String line) {
        out.println(line);
    }

    public void printf(String format, Object... args) {
        out.printf(format, args);
    }
}
