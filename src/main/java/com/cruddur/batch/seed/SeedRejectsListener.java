package com.cruddur.batch.seed;

import java.io.IOException;
import java.nio.file.Path;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.rejects.S3RejectsObject;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import org.springframework.batch.infrastructure.item.file.transform.IncorrectTokenCountException;

/**
 * Writes every skipped seed row to the {@link RejectsFile} {@code <rejects-dir>/<job>-<execution>-<step>.csv}
 * and prints where it is when the step ends. In a folder, a chunk rolled back by a kill may be reported
 * again by the restart (in the restart's own file): rows are listed at least once.
 * <p>
 * {@code rejects-dir=s3://bucket/prefix/}: the rows go to an owner-only temp file, which an
 * {@link S3RejectsObject} puts (with server-side encryption) at {@code <prefix><job>-<execution>-<step>.csv}
 * at each commit that added rows and when the step ends, completed or failed. A restart writes on to the
 * object named by the execution that first ran the step (under the restart's prefix), which then holds
 * every row once. Nothing is uploaded for a step without rejects. Also an {@link ItemStream}: register it
 * with {@code stream(...)}, which runs it before the reader.
 */
public class SeedRejectsListener implements SkipListener<CsvLine, Object>, StepExecutionListener, ItemStream {

    private final String input;
    private final String directory;
    private final Console console;
    private final S3Inputs s3Inputs;
    private final S3Uploads s3;
    private final boolean checkpointBehind;
    private RejectsFile rejects;
    private S3RejectsObject object;
    private String name;
    private String location;

    public SeedRejectsListener(String input, Path directory, Console console) {
        this(input, directory.toString(), console, null, null, false);
    }

    /**
     * @param directory a folder, or {@code s3://bucket/prefix/} (then the rows are put there with {@code s3})
     * @param checkpointBehind the step's reader is a CheckpointBehindReader (its commits save the position of
     *        the commit before)
     */
    public SeedRejectsListener(String input, String directory, Console console, S3Inputs s3Inputs, S3Uploads s3,
            boolean checkpointBehind) {
        this.input = input;
        this.directory = directory;
        this.console = console;
        this.s3Inputs = s3Inputs;
        this.s3 = s3;
        this.checkpointBehind = checkpointBehind;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        name = stepExecution.getJobExecution().getJobInstance().getJobName() + "-"
                + stepExecution.getJobExecutionId() + "-" + stepExecution.getStepName() + ".csv";
        if (!S3Uploads.isS3(directory)) {
            rejects = new RejectsFile(Path.of(directory).resolve(name));
            location = rejects.path().toString();
        }
    }

    @Override
    public void open(ExecutionContext executionContext) {
        if (!S3Uploads.isS3(directory)) {
            return;
        }
        String earlier = S3RejectsObject.earlierLocation(executionContext);
        String objectName = earlier == null ? name : earlier.substring(earlier.lastIndexOf('/') + 1);
        object = new S3RejectsObject(directory + (directory.endsWith("/") ? "" : "/") + objectName, "seed-rejects-",
                checkpointBehind, s3Inputs, s3);
        rejects = object.file();
        location = object.location();
        object.open(executionContext);
    }

    @Override
    public void update(ExecutionContext executionContext) {
        if (object != null) {
            object.update(executionContext);
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
        if (rejects == null) {
            return null; // failed before it was opened
        }
        rejects.close();
        long rows = rejects.count();
        String earlier = "";
        if (object != null) {
            rows = object.rows();
            earlier = object.earlierRows() == 0 ? "" : " (" + object.earlierRows() + " of them before the restart)";
            try {
                object.publish(false);
            }
            catch (IOException e) {
                String problem = e.getMessage() + "; the rejected rows are kept in " + object.tempFile();
                console.println("  " + stepExecution.getStepName() + ": " + rows + " rejected row(s) of "
                        + input + ": " + problem);
                stepExecution.setStatus(BatchStatus.FAILED);
                stepExecution.addFailureException(new IllegalStateException(problem));
                return ExitStatus.FAILED;
            }
        }
        if (rows > 0) {
            console.println("  " + stepExecution.getStepName() + ": " + rows + " rejected row(s) of "
                    + input + " written to " + location + earlier);
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
