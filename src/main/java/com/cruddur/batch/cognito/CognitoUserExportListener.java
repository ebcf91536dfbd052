package com.cruddur.batch.cognito;

import java.io.IOException;
import java.util.ArrayList;

import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.job.Console;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Around cognito-user-export's step: says when a run starts its output over, completes an S3 output when the
 * step completes, and after a refused pagination token makes the next run start over from the first user.
 */
class CognitoUserExportListener implements StepExecutionListener {

    /** In the step's context after a refused pagination token: the next run writes the file over. */
    static final String STARTED_OVER = "export.start-over";

    private final String output;
    private final CognitoUserOutput writer;
    private final Console console;
    private final S3Uploads s3Uploads;

    CognitoUserExportListener(CognitoUserExportParameters params, CognitoUserOutput writer, Console console,
            S3Uploads s3Uploads) {
        this.output = params.output();
        this.writer = writer;
        this.console = console;
        this.s3Uploads = s3Uploads;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        ExecutionContext context = stepExecution.getExecutionContext();
        if (context.containsKey(STARTED_OVER)) {
            // Said once: a later restart of this run continues the new file.
            context.remove(STARTED_OVER);
            console.println("writing " + output + " over from the first user: the last "
                    + "run stopped when Cognito refused its pagination token");
        }
        if (S3Uploads.isS3(output) && context.containsKey(S3LinesWriter.STARTED)) {
            startS3OutputOver(context);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getFailureExceptions().stream().anyMatch(CognitoUserExportListener::tokenRefused)) {
            startOverOnRestart(stepExecution);
            return null;
        }
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            return null; // an S3 upload is aborted when the writer closes
        }
        try {
            writer.complete();
        }
        catch (IOException e) {
            // Spring Batch has marked the step COMPLETED already; this listener runs before the
            // step is saved for the last time, and the job reads the step's status after it.
            stepExecution.setStatus(BatchStatus.FAILED);
            stepExecution.addFailureException(e);
            return ExitStatus.FAILED.addExitDescription(e.getMessage());
        }
        console.println("wrote " + stepExecution.getWriteCount() + " users to " + output
                + (writer.isS3() ? " (" + s3Uploads.encryption() + ")" : ""));
        return null;
    }

    /**
     * A restart with an S3 output starts over from the first user: the failed run wrote no object (it appears
     * only when the step completes) and its upload cannot be continued by this process. Its multipart
     * uploads, when the run was killed before it could abort them, are aborted here (what S3 refuses to
     * abort is left to the bucket's AbortIncompleteMultipartUpload rule).
     */
    private void startS3OutputOver(ExecutionContext context) {
        String pending = context.getString(S3LinesWriter.UPLOAD_ID, null);
        if (pending != null) {
            s3Uploads.abandon(output, pending);
        }
        // Also one the killed run created after its last commit, which its saved state does not name.
        s3Uploads.abandonAll(output);
        for (String key : new ArrayList<>(context.toMap().keySet())) {
            if (!key.startsWith("batch.")) { // Spring Batch's own (step type), not a position
                context.remove(key);
            }
        }
        console.println("writing " + output + " from the first user: an S3 object is written whole "
                + "when the export completes, so a restart lists the users again");
    }

    /**
     * A refused pagination token (expired, invalid) leaves no way to go on with the listing, and starting it
     * over would append every user already in the file a second time. The step has failed; its saved
     * position (listing and file) is dropped here, before the step's context is saved, so that the same
     * command writes a new file from the first user, and says so.
     */
    private void startOverOnRestart(StepExecution stepExecution) {
        ExecutionContext context = stepExecution.getExecutionContext();
        // Users in the file at the last commit, over every run of this instance (the writer's own count).
        long inFile = context.getLong(CognitoUserExportJobConfiguration.WRITER_NAME + ".written",
                stepExecution.getWriteCount());
        for (String key : new ArrayList<>(context.toMap().keySet())) {
            context.remove(key);
        }
        context.putString(STARTED_OVER, "pagination token refused");
        if (S3Uploads.isS3(output)) {
            console.println("nothing was written to " + output + " (the object appears only when the "
                    + "export completes); the same command lists the users again from the first");
            return;
        }
        console.println(output + " holds the " + inFile + " users written before Cognito refused the "
                + "pagination token; the same command writes it over from the first user");
    }

    /** The step may wrap the reader's exception. */
    private static boolean tokenRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CognitoUserReader.PaginationTokenRefusedException) {
                return true;
            }
        }
        return false;
    }
}
