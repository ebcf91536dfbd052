package com.cruddur.batch.seed;

import java.nio.file.Path;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.rejects.RejectsFile;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import org.springframework.batch.infrastructure.item.file.transform.IncorrectTokenCountException;

/**
 * Writes every skipped seed row to the {@link RejectsFile} {@code <rejects-dir>/<job>-<execution>-<step>.csv}
 * and prints where it is when the step ends. A chunk rolled back by a kill may be reported again by the
 * restart: rows are listed at least once.
 */
public class SeedRejectsListener implements SkipListener<CsvLine, Object>, StepExecutionListener {

    private final String input;
    private final Path directory;
    private final Console console;
    private RejectsFile rejects;

    public SeedRejectsListener(String input, Path directory, Console console) {
        this.input = input;
        this.directory = directory;
        this.console = console;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        rejects = new RejectsFile(directory.resolve(stepExecution.getJobExecution().getJobInstance().getJobName()
                + "-" + stepExecution.getJobExecutionId() + "-" + stepExecution.getStepName() + ".csv"));
    }

    /**
     * The reader is a FlatFileItemReader, which wraps every line-mapper failure in a FlatFileParseException,
     * and {@link SeedSkipPolicy} skips nothing else that a read throws.
     */
    @Override
    public void onSkipInRead(Throwable t) {
        FlatFileParseException parse = (FlatFileParseException) t;
        rejects.write(String.valueOf(input), parse.getLineNumber(), reason(parse), parse.getInput());
    }

    @Override
    public void onSkipInProcess(CsvLine line, Throwable t) {
        rejects.write(String.valueOf(line.file()), line.number(), RejectsFile.reasonOf(t), line.text());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        rejects.close();
        if (rejects.count() > 0) {
            console.println("  " + stepExecution.getStepName() + ": " + rejects.count() + " rejected row(s) of "
                    + input + " written to " + rejects.path());
        }
        return null;
    }

    /** Why a line could not be parsed, in words. */
    static String reason(FlatFileParseException parse) {
        Throwable cause = parse.getCause();
        if (cause instanceof IncorrectTokenCountException count) {
            return "expected " + count.getExpectedCount() + " columns, found " + count.getActualCount();
        }
        return cause == null ? parse.getMessage() : RejectsFile.reasonOf(cause);
    }
}
