package com.cruddur.batch.seed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.rejects.RejectsFile;
import org.springframework.batch.core.BatchStatus;
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
 * <p>
 * {@code rejects-dir=s3://bucket/prefix/}: the rows go to an owner-only temp file while the step runs, which
 * is uploaded (with server-side encryption) to {@code <prefix><job>-<execution>-<step>.csv} when the step
 * ends, completed or failed, and then removed; nothing is uploaded for a step without rejects.
 */
public class SeedRejectsListener implements SkipListener<CsvLine, Object>, StepExecutionListener {

    private final String input;
    private final String directory;
    private final Console console;
    private final S3Uploads s3;
    private RejectsFile rejects;
    private String location;

    public SeedRejectsListener(String input, Path directory, Console console) {
        this(input, directory.toString(), console, null);
    }

    /** @param directory a folder, or {@code s3://bucket/prefix/} (then {@code s3} uploads the files) */
    public SeedRejectsListener(String input, String directory, Console console, S3Uploads s3) {
        this.input = input;
        this.directory = directory;
        this.console = console;
        this.s3 = s3;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        String name = stepExecution.getJobExecution().getJobInstance().getJobName() + "-"
                + stepExecution.getJobExecutionId() + "-" + stepExecution.getStepName() + ".csv";
        if (!S3Uploads.isS3(directory)) {
            rejects = new RejectsFile(Path.of(directory).resolve(name));
            location = rejects.path().toString();
            return;
        }
        location = directory + (directory.endsWith("/") ? "" : "/") + name;
        try {
            // Created rw------- on POSIX systems, as RejectsFile creates its files; empty until the first reject.
            rejects = new RejectsFile(Files.createTempFile("seed-rejects-", ".csv"));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp file for the rejects of " + location, e);
        }
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
        if (S3Uploads.isS3(directory)) {
            try {
                if (rejects.count() > 0) {
                    s3.upload(rejects.path(), location);
                }
                Files.deleteIfExists(rejects.path());
            }
            catch (IOException e) {
                String problem = e.getMessage() + "; the rejected rows are kept in " + rejects.path();
                console.println("  " + stepExecution.getStepName() + ": " + rejects.count() + " rejected row(s) of "
                        + input + ": " + problem);
                stepExecution.setStatus(BatchStatus.FAILED);
                stepExecution.addFailureException(new IllegalStateException(problem));
                return ExitStatus.FAILED;
            }
        }
        if (rejects.count() > 0) {
            console.println("  " + stepExecution.getStepName() + ": " + rejects.count() + " rejected row(s) of "
                    + input + " written to " + location);
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
