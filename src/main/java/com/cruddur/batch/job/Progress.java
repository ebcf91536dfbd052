package com.cruddur.batch.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.Resource;

/**
 * How a job tells the progress line what "done" means. The launcher's progress reporter reads
 * counts from the step execution; for percent done and time left a step also needs a total, which its
 * reader (or a {@code beforeStep}) puts into the step's ExecutionContext under {@link #TOTAL_KEY}:
 *
 * <pre>
 * // in an ItemStream reader's open(ExecutionContext context), for a CSV with a header line:
 * Progress.expectTotal(context, Progress.countLines(resource, 1));
 * </pre>
 *
 * The total counts items as the step counts them (read plus read-skipped). It is stored as a plain
 * number, so it survives a restart with the rest of the step's state.
 */
public final class Progress {

    /** Step ExecutionContext key: how many items the step expects to read in all. */
    public static final String TOTAL_KEY = "progress.total";

    /** Step ExecutionContext key (optional): path of the file that rejected records go to, for the summary. */
    public static final String REJECTS_FILE_KEY = "rejects.file";

    private Progress() {
    }

    public static void expectTotal(ExecutionContext stepContext, long totalItems) {
        stepContext.putLong(TOTAL_KEY, totalItems);
    }

    public static void rejectsFile(ExecutionContext stepContext, String path) {
        stepContext.putString(REJECTS_FILE_KEY, path);
    }

    /** Lines of a text resource after {@code linesToSkip} header lines: cheap next to parsing them. */
    public static long countLines(Resource resource, int linesToSkip) throws IOException {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(resource.getInputStream(), StandardCharsets.UTF_8))) {
            long lines = reader.lines().filter(line -> !line.isBlank()).count();
            return Math.max(0, lines - linesToSkip);
        }
    }
}
