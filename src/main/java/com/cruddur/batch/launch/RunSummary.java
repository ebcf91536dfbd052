package com.cruddur.batch.launch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.Locale;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.Progress;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/** The lines printed when a job ends: one per step, then the outcome and, on failure, one reason. */
public final class RunSummary {

    private RunSummary() {
    }

    public static void print(JobExecution execution, Console console) {
        for (StepExecution step : execution.getStepExecutions()) {
            Duration took = between(step.getStartTime(), step.getEndTime());
            long items = Math.max(step.getReadCount(), step.getWriteCount());
            if (items == 0 && step.getSkipCount() == 0 && step.getFilterCount() == 0) {
                // A tasklet step (create, wait, drop): counts would only be noise.
                console.out().printf(Locale.ROOT, "  step %-24s %-9s %s%n", step.getStepName(), step.getStatus(),
                        seconds(took));
                continue;
            }
            console.out().printf(Locale.ROOT, "  step %-24s %-9s read %d, written %d, skipped %d, %s%s%n",
                    step.getStepName(), step.getStatus(), step.getReadCount(), step.getWriteCount(),
                    step.getSkipCount(), seconds(took), rate(items, took));
            String rejects = step.getExecutionContext().getString(Progress.REJECTS_FILE_KEY, "");
            if (!rejects.isEmpty()) {
                console.out().printf(Locale.ROOT, "       rejects: %s (%d skipped record(s))%n", rejects, step.getSkipCount());
            }
        }
        Duration took = between(execution.getStartTime(), execution.getEndTime());
        console.out().printf(Locale.ROOT, "%s %s in %s (execution %d, instance %d)%n", execution.getJobInstance().getJobName(),
                execution.getStatus(), seconds(took), execution.getId(), execution.getJobInstance().getInstanceId());
        if (RejectsExitStatus.EXIT_CODE.equals(execution.getExitStatus().getExitCode())) {
            console.println("rejected: " + execution.getExitStatus().getExitDescription() + " (exit code "
                    + ExitCodes.COMPLETED_WITH_REJECTS + ")");
        }
        if (execution.getStatus() == BatchStatus.STOPPED) {
            console.println("reason: stopped on request (SIGTERM or 'stop'); 'restart " + execution.getId()
                    + "' or the same command line resumes from the last commit");
        }
        else if (execution.getStatus() != BatchStatus.COMPLETED) {
            console.println("reason: " + reason(execution));
        }
    }

    /**
     * One line: the root cause of the step that failed first, else of the job's own failure, else the
     * exit description's first line. First in time, because a partitioned step's manager fails after
     * its worker with only "Partition handler returned an unsuccessful step".
     */
    public static String reason(JobExecution execution) {
        Throwable failure = execution.getStepExecutions().stream()
                .filter(step -> !step.getFailureExceptions().isEmpty())
                .min(Comparator.comparing(step -> step.getEndTime() == null ? LocalDateTime.MAX : step.getEndTime()))
                .map(step -> step.getFailureExceptions().get(0))
                .orElseGet(() -> execution.getAllFailureExceptions().stream().findFirst().orElse(null));
        if (failure != null) {
            return oneLine(failure);
        }
        String description = execution.getExitStatus().getExitDescription();
        return description == null || description.isBlank() ? execution.getStatus().toString()
                : description.lines().findFirst().orElse("");
    }

    public static String oneLine(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return redact(message.lines().findFirst().orElse(message));
    }

    /**
     * Record contents (message text, e-mail addresses) stay out of the output and logs unless debug
     * logging is on: Spring Batch's parse errors quote the whole input line as {@code input=[...]}.
     * File and line number stay.
     */
    static String redact(String message) {
        if (LogFactory.getLog("com.cruddur.batch").isDebugEnabled()) {
            return message;
        }
        return message.replaceAll("input=\\[.*\\]", "input=[record not shown; debug logging shows it]");
    }

    private static Duration between(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return Duration.ZERO;
        }
        return Duration.between(start, end == null ? LocalDateTime.now() : end);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    private static String rate(long items, Duration d) {
        if (items == 0 || d.toMillis() < 1000) {
            return "";
        }
        return String.format(Locale.ROOT, ", %.0f items/s", items * 1000.0 / d.toMillis());
    }
}
