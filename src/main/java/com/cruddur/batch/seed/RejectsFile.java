package com.cruddur.batch.seed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.cruddur.batch.launch.Console;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import org.springframework.batch.infrastructure.item.file.transform.IncorrectTokenCountException;

/**
 * Writes every skipped seed row to {@code <rejects-dir>/<job>-<execution>-<step>.csv} with columns
 * {@code file,line,reason,input}, created on the first reject, and prints where it is when the step ends.
 * A chunk rolled back by a kill may be reported again by the restart: rows are listed at least once.
 */
public class RejectsFile implements SkipListener<CsvLine, Object>, StepExecutionListener {

    private final Path input;
    private final Path directory;
    private final Console console;
    private Path file;
    private BufferedWriter out;
    private long count;

    public RejectsFile(Path input, Path directory, Console console) {
        this.input = input;
        this.directory = directory;
        this.console = console;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        file = directory.resolve(stepExecution.getJobExecution().getJobInstance().getJobName() + "-"
                + stepExecution.getJobExecutionId() + "-" + stepExecution.getStepName() + ".csv");
    }

    @Override
    public void onSkipInRead(Throwable t) {
        if (t instanceof FlatFileParseException parse) {
            write(input, parse.getLineNumber(), reason(parse), parse.getInput());
        }
        else {
            write(input, 0, RejectsFile.reasonOf(t), "");
        }
    }

    @Override
    public void onSkipInProcess(CsvLine line, Throwable t) {
        write(line.file(), line.number(), reasonOf(t), line.text());
    }

    @Override
    public void onSkipInWrite(Object item, Throwable t) {
        if (t instanceof RejectedRowException rejected && rejected.line() != null) {
            onSkipInProcess(rejected.line(), t);
        }
        else {
            write(input, 0, reasonOf(t), String.valueOf(item));
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (out != null) {
            try {
                out.close();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out = null;
            console.println("  " + stepExecution.getStepName() + ": " + count + " rejected row(s) of " + input
                    + " written to " + file);
        }
        return null;
    }

    /** Why a line could not be parsed, in words. */
    static String reason(FlatFileParseException parse) {
        Throwable cause = parse.getCause();
        if (cause instanceof IncorrectTokenCountException count) {
            return "expected " + count.getExpectedCount() + " columns, found " + count.getActualCount();
        }
        return cause == null ? parse.getMessage() : reasonOf(cause);
    }

    private static String reasonOf(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private synchronized void write(Path source, int line, String reason, String text) {
        try {
            if (out == null) {
                Files.createDirectories(directory);
                boolean fresh = !Files.exists(file);
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                if (fresh) {
                    out.write("file,line,reason,input\n");
                }
            }
            out.write(csv(String.valueOf(source)) + "," + line + "," + csv(reason) + "," + csv(text) + "\n");
            out.flush();
            count++;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write rejects file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String csv(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
