package com.cruddur.batch.launch;

import java.util.Map;

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

    public JobRunner(JobOperator jobOperator, JobRepository jobRepository, ApplicationContext context,
            Environment environment, Console console, RunningJobs runningJobs) {
        this.runningJobs = runningJobs;
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
        JobParameters parameters = resolveInstance(descriptor.name(), base);
        return jobOperator.start(job, parameters);
    }

    /** Given values, then literal defaults, then defaults read from configuration. */
    JobParameters parameters(JobDescriptor descriptor, Map<String, String> given) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (ParameterSpec spec : descriptor.parameters()) {
            String value = given.get(spec.name());
            if (value == null) {
                value = spec.defaultValue() != null ? spec.defaultValue()
                        : spec.defaultProperty() != null ? environment.getProperty(spec.defaultProperty()) : null;
            }
            if (value != null) {
                builder.addString(spec.name(), value, spec.identifying());
            }
        }
        return builder.toJobParameters();
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
        if (status.isRunning()) {
            if (!ProcessMarker.isOrphaned(last)) {
                throw new JobNotStartedException(jobName + ": execution " + last.getId() + " of these parameters is "
                        + status + " (" + ProcessMarker.describe(last) + "); if that process is gone, run: recover "
                        + last.getId());
            }
            jobOperator.recover(last);
            console.err().println(jobName + ": execution " + last.getId() + " was left " + status + " by "
                    + ProcessMarker.describe(last) + ", which is gone; recovered it");
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

    private static JobParameters withRunId(JobParameters base, long runId) {
        return runId == 0 ? base : new JobParametersBuilder(base).addLong(RUN_ID, runId).toJobParameters();
    }

    /** The job was not started; the message says why and what to do. */
    public static class JobNotStartedException extends Exception {
        public JobNotStartedException(String message) {
            super(message);
        }
    }
}
