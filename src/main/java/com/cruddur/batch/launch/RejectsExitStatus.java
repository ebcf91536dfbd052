package com.cruddur.batch.launch;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

/**
 * A job that completed but skipped records (they are in its rejects file) ends with exit status
 * {@value #EXIT_CODE}, so its process exit code ({@link ExitCodes#COMPLETED_WITH_REJECTS}) tells a
 * script or scheduler that something was left out, as Spring Batch's samples do with a
 * skip-checking listener.
 */
@Component
public class RejectsExitStatus implements EveryJobListener {

    public static final String EXIT_CODE = "COMPLETED WITH REJECTS";

    @Override
    public void afterJob(JobExecution jobExecution) {
        if (jobExecution.getStatus() != BatchStatus.COMPLETED) {
            return;
        }
        // A partition's step (worker:partition) is already counted in its partitioned step, which sums them.
        long skipped = jobExecution.getStepExecutions().stream().filter(step -> !step.getStepName().contains(":"))
                .mapToLong(StepExecution::getSkipCount).sum();
        if (skipped > 0) {
            jobExecution.setExitStatus(new ExitStatus(EXIT_CODE,
                    skipped + " record(s) rejected; the summary names the rejects file"));
        }
    }
}
