package com.cruddur.batch.launch;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The executions running in this process, so that SIGTERM can stop them the way Spring Batch's
 * {@code JobExecutionShutdownHook} does ({@link JobOperator#stop}: STOPPING in the repository, seen by
 * the step at its next commit, which ends it STOPPED and restartable). Unlike that hook it also
 * waits for the steps to get there, because the JVM halts as soon as its shutdown hooks return.
 * Attached to every job bean, as {@link ProcessMarker} is.
 */
@Component
public class RunningJobs implements EveryJobListener {

    private static final Log logger = LogFactory.getLog(RunningJobs.class);

    private final JobOperator jobOperator;
    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public RunningJobs(@Lazy JobOperator jobOperator) {
        this.jobOperator = jobOperator;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        running.put(jobExecution.getId(), jobExecution);
        if (shuttingDown) {
            // Signalled between the launch decision and the start: stop at the first commit.
            stop(jobExecution);
        }
    }

    @Override
    public void afterJob(JobExecution jobExecution) {
        running.remove(jobExecution.getId());
        synchronized (this) {
            notifyAll();
        }
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    public List<JobExecution> running() {
        return List.copyOf(running.values());
    }

    /**
     * Refuses new runs, asks every running execution to stop, and waits up to {@code timeout} for them
     * to end. @return true when none is left running
     */
    public boolean stopAll(Duration timeout) {
        shuttingDown = true;
        running.values().forEach(this::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!running.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    private void stop(JobExecution execution) {
        try {
            logger.info("stopping " + execution.getJobInstance().getJobName() + " execution " + execution.getId()
                    + " at its next commit");
            // JobOperator.stop also stops the running step, which for a @JobScope step bean (a proxy) only
            // resolves inside the job's scope: join the running job's scope context for the call. close(),
            // not release(): release would destroy the running job's scoped beans.
            JobSynchronizationManager.register(execution);
            try {
                jobOperator.stop(execution);
            }
            finally {
                JobSynchronizationManager.close();
            }
        }
        catch (JobExecutionNotRunningException e) {
            // Ended meanwhile: nothing to stop.
        }
        catch (RuntimeException e) {
            logger.error("could not stop execution " + execution.getId() + ": " + RunSummary.oneLine(e));
        }
    }
}
