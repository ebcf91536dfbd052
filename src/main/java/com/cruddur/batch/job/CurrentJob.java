package com.cruddur.batch.job;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.scope.context.JobContext;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;

/** The job running on this thread, for the {@link JobParametersScope} beans that make a job's parameters record. */
public final class CurrentJob {

    private CurrentJob() {
    }

    public static JobParameters parameters() {
        JobContext context = JobSynchronizationManager.getContext();
        if (context == null) {
            throw new IllegalStateException("no job runs on thread " + Thread.currentThread().getName()
                    + " (a partitioned or multi-threaded step's worker?): read the parameters from the StepExecution");
        }
        return context.getJobExecution().getJobParameters();
    }
}
