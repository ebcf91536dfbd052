package com.cruddur.batch.launch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The executions running in this process, so that SIGTERM can stop them the way Spring Batch's
 * {@code JobExecutionShutdownHook} does (STOPPING in the repository, seen by the step at its next commit,
 * which ends it STOPPED and restartable; see {@link #requestStop}). Unlike that hook it also
 * waits for the steps to get there, because the JVM halts as soon as its shutdown hooks return.
 * Attached to every job bean, as {@link ProcessMarker} is.
 */
@Component
public class RunningJobs implements EveryJobListener {

    private static final Log logger = LogFactory.getLog(RunningJobs.class);

    private final JobRepository jobRepository;
    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();
    private volatile boolean shuttingDown;

    public RunningJobs(@Lazy JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    /**
     * Asks an execution to stop as {@link JobOperator#stop} does (STOPPING in the repository, which the
     * step sees at its next commit and then ends STOPPED, restartable), without its second half: that also
     * writes the running step's row from the calling thread or process, which races the step's own commit
     * (an optimistic-locking failure ends the run FAILED instead of STOPPED), and for a @JobScope step
     * fails outside the job's scope ("No context holder available for job scope").
     */
    public static void requestStop(JobRepository jobRepository, JobExecution execution)
            throws JobExecutionNotRunningException {
        BatchStatus status = execution.getStatus();
        if (status != BatchStatus.STARTED && status != BatchStatus.STARTING) {
            throw new JobExecutionNotRunningException("execution " + execution.getId() + " is " + status);
        }
        execution.setStatus(BatchStatus.STOPPING);
        execution.setExitStatus(ExitStatus.STOPPED);
        execution.setEndTime(LocalDateTime.now());
        jobRepository.update(execution);
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
            requestStop(jobRepository, execution);
        }
        catch (JobExecutionNotRunningException e) {
            // Ended meanwhile: nothing to stop.
        }
        catch (RuntimeException e) {
            logger.error("could not stop execution " + execution.getId() + ": " + RunSummary.oneLine(e));
        }
    }
}
