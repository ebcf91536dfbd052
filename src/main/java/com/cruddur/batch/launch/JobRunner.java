package com.cruddur.batch.launch;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.RestartCheck;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Starts a job the way a careful operator would: a FAILED or STOPPED instance with the same
 * identifying parameters is restarted from its last commit; a COMPLETED one is run again as a new
 * instance (an identifying {@code run.id} is added, as Spring Batch's RunIdIncrementer would); an
 * execution left STARTED by a process that is gone is recovered first.
 * <p>
 * All of it happens under the instance's {@link JobLock} in the job repository, held until the run
 * ends: a second launch of the same parameters is refused ({@link JobNotStartedException}) instead of
 * creating a second execution, and an execution found STARTED while the lock is free belongs to a
 * process that is gone (the database released its lock with its connection), whatever host or PID it
 * had; no host name or PID is trusted.
 */
@Component
public class JobRunner {

    /** Identifying parameter that separates re-runs of an otherwise identical, completed instance. */
    public static final String RUN_ID = "run.id";

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final ApplicationContext context;
    private final Environment environment;
    private final Console console;
    private final RunningJobs runningJobs;
    private final JobLock jobLock;

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, ApplicationContext context,
            Environment environment, Console console, RunningJobs runningJobs, JobLock jobLock) {
        this.runningJobs = runningJobs;
        this.jobLock = jobLock;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.context = context;
        this.environment = environment;
        this.console = console;
    }

    public JobExecution launch(JobDescriptor descriptor, Map<String, String> given) throws Exception {
        return launch(descriptor, given, new JobParameters());
    }

    /**
     * @param extra identifying parameters beyond the descriptor's, such as the scheduler's
     *              {@code scheduled.time}, which makes every scheduled run its own instance
     */
    public JobExecution launch(JobDescriptor descriptor, Map<String, String> given, JobParameters extra)
            throws Exception {
        if (runningJobs.isShuttingDown()) {
            throw new JobNotStartedException(descriptor.name() + ": not started, the process is shutting down");
        }
        Job job = context.getBean(descriptor.name(), Job.class);
        JobParameters base = new JobParametersBuilder(parameters(descriptor, given)).addJobParameters(extra)
                .toJobParameters();
        // Spring Batch 6 validates only after creating the instance, which leaves an instance with no
        // execution behind on refusal; checking first keeps refused runs out of the repository.
        job.getJobParametersValidator().validate(base);
        try (JobLock.Held lock = lockInstance(descriptor.name(), base, "not started")) {
            JobParameters parameters = resolveInstance(descriptor.name(), base);
            return jobOperator.start(job, parameters);
        }
    }

    /**
     * Restarts the instance of a FAILED or STOPPED execution (or one left running by a process that is
     * gone, after recovering it) under the instance lock: {@code restart <id>} and the scheduler's
     * restart-failed.
     *
     * @param check   called under the lock with the execution as the repository has it now; throws to refuse
     * @param onRecovered told when the execution had to be recovered first
     */
    public JobExecution restart(JobExecution execution, Consumer<JobExecution> check,
            Consumer<String> onRecovered) throws Exception {
        String jobName = execution.getJobInstance().getJobName();
        if (runningJobs.isShuttingDown()) {
            throw new JobNotStartedException(jobName + ": not restarted, the process is shutting down");
        }
        try (JobLock.Held lock = lockInstance(jobName, execution.getJobParameters(), "not restarted")) {
            JobExecution current = jobRepository.getJobExecution(execution.getId());
            check.accept(current);
            if (current.getStatus().isRunning()) {
                onRecovered.accept(recoverOrphan(jobName, current));
                current = jobRepository.getJobExecution(execution.getId());
            }
            return jobOperator.restart(current);
        }
    }

    /**
     * {@link #restart}'s checks, under the instance lock, without restarting: refuses an execution that cannot
     * restart (COMPLETED, or running in a live process) before more is set up for its restart.
     */
    public void checkRestartable(JobExecution execution, Consumer<JobExecution> check) throws Exception {
        String jobName = execution.getJobInstance().getJobName();
        try (JobLock.Held lock = lockInstance(jobName, execution.getJobParameters(), "not restarted")) {
            check.accept(jobRepository.getJobExecution(execution.getId()));
        }
    }

    /**
     * The instance lock of these parameters, or {@link JobNotStartedException} saying which live
     * process holds it.
     */
    private JobLock.Held lockInstance(String jobName, JobParameters parameters, String what)
            throws JobNotStartedException, java.sql.SQLException {
        Optional<JobLock.Held> lock = jobLock.tryAcquire(JobLock.instanceKey(jobName, parameters));
        if (lock.isEmpty()) {
            throw new JobNotStartedException(jobName + ": " + what + ": " + liveHolder(jobName, parameters));
        }
        return lock.get();
    }

    /** One line on the live process that holds the instance lock of these parameters. */
    public String liveHolder(String jobName, JobParameters parameters) {
        JobParameters base = withoutRunId(parameters);
        JobInstance instance = jobRepository.getJobInstance(jobName, withRunId(base, latestRunId(jobName, base)));
        JobExecution last = instance == null ? null : jobRepository.getLastJobExecution(instance);
        if (last == null || !last.getStatus().isRunning()) {
            return "another launch of these parameters is starting in a live process (it holds the job-instance "
                    + "lock in the job repository); try again once it has ended";
        }
        String process = ProcessMarker.describe(last);
        return "execution " + last.getId() + " of these parameters is " + last.getStatus() + " in a live process"
                + (process != null ? " (" + process + ")" : "") + ", which holds the job-instance lock in the job "
                + "repository; wait for it to end, or stop it: stop " + last.getId();
    }

    /**
     * Marks an execution left running FAILED; only called with its instance lock held, which proves that
     * the process that ran it is gone. @return the line that says so
     */
    String recoverOrphan(String jobName, JobExecution execution) {
        BatchStatus left = execution.getStatus();
        jobOperator.recover(execution);
        String process = ProcessMarker.describe(execution);
        return jobName + ": execution " + execution.getId() + " was left " + left + " by "
                + (process != null ? process : "a process") + ", which is gone; recovered it (nothing held its "
                + "job-instance lock)";
    }

    /** Given values, then literal defaults, then defaults read from configuration. */
    JobParameters parameters(JobDescriptor descriptor, Map<String, String> given) {
        return descriptor.jobParameters(given, environment);
    }

    private JobParameters resolveInstance(String jobName, JobParameters base)
            throws JobNotStartedException, InvalidJobParametersException {
        long runId = latestRunId(jobName, base);
        JobParameters parameters = withRunId(base, runId);
        JobInstance instance = jobRepository.getJobInstance(jobName, parameters);
        if (instance == null) {
            return parameters;
        }
        if (jobRepository.getJobExecutions(instance).isEmpty()) {
            // Left by a refused launch (see above): it holds nothing to restart.
            jobRepository.deleteJobInstance(instance);
            return parameters;
        }
        JobExecution last = jobRepository.getLastJobExecution(instance);
        BatchStatus status = last.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            return withRunId(base, runId + 1);
        }
        if (status == BatchStatus.UNKNOWN) {
            // Spring Batch refuses to restart it: its outcome was never recorded.
            throw new JobNotStartedException(jobName + ": not started: execution " + last.getId() + " of these "
                    + "parameters ended UNKNOWN (its outcome was not recorded, so it cannot be restarted); check "
                    + "what it wrote, then run: abandon " + last.getId() + " (the next launch starts a new run)");
        }
        if (status.isRunning()) {
            // We hold the instance lock, so the process that ran it is gone.
            console.err().println(recoverOrphan(jobName, last));
        }
        for (RestartCheck check : context.getBeanProvider(RestartCheck.class)) {
            check.beforeRestart(last);
        }
        console.err().println(jobName + ": restarting instance " + instance.getInstanceId() + " after execution "
                + last.getId() + " (" + last.getStatus() + ")");
        return parameters;
    }

    /**
     * Run ids of one set of parameters are contiguous (0 = no run.id), since run k+1 only exists once
     * run k completed: gallop, then bisect, so a long history costs a few look-ups.
     */
    private long latestRunId(String jobName, JobParameters base) {
        if (jobRepository.getJobInstance(jobName, base) == null) {
            return 0;
        }
        long low = 0;
        long high = 1;
        while (jobRepository.getJobInstance(jobName, withRunId(base, high)) != null) {
            low = high;
            high *= 2;
        }
        while (high - low > 1) {
            long mid = (low + high) >>> 1;
            if (jobRepository.getJobInstance(jobName, withRunId(base, mid)) != null) {
                low = mid;
            }
            else {
                high = mid;
            }
        }
        return low;
    }

    static JobParameters withoutRunId(JobParameters parameters) {
        JobParametersBuilder builder = new JobParametersBuilder();
        parameters.parameters().stream().filter(p -> !p.name().equals(RUN_ID)).forEach(builder::addJobParameter);
        return builder.toJobParameters();
    }

    private static JobParameters withRunId(JobParameters base, long runId) {
        return runId == 0 ? base : new JobParametersBuilder(base).addLong(RUN_ID, runId).toJobParameters();
    }

    /** The job was not started (exit 4); the message says why and what to do. */
    public static class JobNotStartedException extends Exception {
        public JobNotStartedException(String message) {
            super(message);
        }
    }
}
