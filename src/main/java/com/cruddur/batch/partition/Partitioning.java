package com.cruddur.batch.partition;

import java.util.function.Function;

import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The one place where a partitioned step chooses how its partitions run: {@code partitioning=local}
 * (threads of this process, the default) or {@code partitioning=remote} (partition requests over
 * RabbitMQ to {@code worker} processes, see {@link RemotePartitioning}). A job defines a Partitioner and
 * a worker step bean named like the partitions' step name; the worker processes find that bean by its
 * name, so the same step definition runs in both modes.
 */
public final class Partitioning {

    public static final String PARAMETER = "partitioning";
    public static final String LOCAL = "local";
    public static final String REMOTE = "remote";

    /** Not identifying: a failed remote run may be relaunched with local threads, and the reverse. */
    public static final ParameterSpec SPEC = ParameterSpec.optional(PARAMETER, LOCAL,
            "local (threads in this process) or remote (worker processes over RabbitMQ; needs a shared "
                    + "PostgreSQL job repository, docs/remote-partitioning.md)")
            .oneOf(LOCAL, REMOTE).nonIdentifying();

    private Partitioning() {
    }

    /**
     * Whether a {@code partitioning} value asks for remote workers. In any case: {@link #SPEC} accepts
     * {@code REMOTE} as well as {@code remote}, so every decision on the mode goes through here.
     */
    public static boolean isRemote(String mode) {
        return REMOTE.equalsIgnoreCase(mode);
    }

    /**
     * The partitioned (manager) step.
     *
     * @param mode the job's {@code partitioning} parameter (null, from runs made before it existed: local)
     * @param threads partitions run at once with local threads
     * @param remote present only in processes started for remote partitioning
     */
    public static Step step(String name, String workerName, JobRepository jobRepository, Partitioner partitioner,
            Step worker, String mode, int threads, ObjectProvider<RemotePartitioning> remote) {
        if (isRemote(mode)) {
            RemotePartitioning partitioning = remote.getIfAvailable();
            if (partitioning == null) {
                // A launch, restart <id> and schedule (with a remote entry) build it; this is, e.g., a schedule
                // whose entries are all local restarting a failed remote run.
                throw new IllegalStateException(PARAMETER + "=remote: this process was started without RabbitMQ; "
                        + "restart the execution with 'restart <id>' or relaunch the job with its own command line");
            }
            return partitioning.managerStep(name, workerName, jobRepository, partitioner);
        }
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor(name + "-");
        executor.setConcurrencyLimit(threads);
        return new StepBuilder(name, jobRepository).partitioner(workerName, partitioner).step(worker)
                .taskExecutor(executor).build();
    }

    /**
     * As {@link #step(String, String, JobRepository, Partitioner, Step, String, int, ObjectProvider)}, with a
     * listener on the partitioned step: its {@code afterStep} runs in the manager once every partition has
     * ended (or the remote wait timed out), for what a job does over all partitions (totals, joined files).
     */
    public static Step step(String name, String workerName, JobRepository jobRepository, Partitioner partitioner,
            Step worker, String mode, int threads, ObjectProvider<RemotePartitioning> remote,
            StepExecutionListener listener) {
        Step step = step(name, workerName, jobRepository, partitioner, worker, mode, threads, remote);
        // Both builders make a PartitionStep.
        ((AbstractStep) step).registerStepExecutionListener(listener);
        return step;
    }

    /**
     * A worker step whose definition depends on the job's parameters (chunk size and the like): built
     * for each partition from its own job's parameters, so it needs no job scope and runs on a thread
     * of the manager (local) or in a worker process (remote), for any job execution.
     */
    public static Step workerStep(String name, Function<JobParameters, Step> build) {
        return new PerJobStep(name, build);
    }

    private record PerJobStep(String name, Function<JobParameters, Step> build) implements Step {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public void execute(StepExecution stepExecution) throws JobInterruptedException {
            build.apply(stepExecution.getJobParameters()).execute(stepExecution);
        }
    }
}
