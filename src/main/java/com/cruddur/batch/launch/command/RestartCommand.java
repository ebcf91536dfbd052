package com.cruddur.batch.launch.command;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.job.RestartCheck;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.JobCatalog;
import com.cruddur.batch.launch.Launcher;
import com.cruddur.batch.launch.RunSummary;
import com.cruddur.batch.partition.Partitioning;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * {@code restart <id>}: restarts the instance of a FAILED or STOPPED execution (recovering one left
 * running by a process that is gone), under its job-instance lock ({@code JobRunner.restart}). An
 * execution launched with {@code partitioning=remote} restarts with remote partitions: only its job
 * parameters in the repository say so, so the command reads them first and then restarts in a context
 * built as that launch's was (the job's configuration plus the RabbitMQ side, same {@code spring.rabbitmq.*}
 * and queue); every other restart opens one context without RabbitMQ.
 */
public final class RestartCommand extends ExecutionCommand {

    private static final Map<String, String> REMOTE = Map.of(Partitioning.PARAMETER, Partitioning.REMOTE);

    @Override
    public int run(Invocation invocation) {
        long id = executionId(invocation);
        AtomicReference<String> remoteJob = new AtomicReference<>();
        int code = invocation.inContext(context -> {
            Batch batch = new Batch(context, invocation.console());
            JobExecution execution = batch.find(id);
            if (Partitioning.isRemote(execution.getJobParameters().getString(Partitioning.PARAMETER))) {
                // Refused here when it cannot restart (COMPLETED, running elsewhere...), not after the RabbitMQ side
                // was built; the restart repeats the checks under the lock.
                batch.jobRunner().checkRestartable(execution, current -> checkStatus(id, batch, current));
                remoteJob.set(jobOf(execution));
                return ExitCodes.COMPLETED;
            }
            return run(id, batch);
        });
        if (remoteJob.get() == null) {
            return code;
        }
        Class<?>[] launch = JobCatalog.find(remoteJob.get()).map(Launcher::sources)
                .orElse(new Class<?>[] { CruddurBatchApplication.class });
        return invocation.inContext(WorkerCommand.sources(launch, REMOTE), context -> {
            WorkerCommand.checkLaunch(context, REMOTE);
            return run(id, new Batch(context, invocation.console()));
        });
    }

    /** Refuses (UsageException) an execution that is not the last of its instance, or not FAILED or STOPPED. */
    private static void checkStatus(long id, Batch batch, JobExecution current) {
        String job = jobOf(current);
        JobExecution last = batch.jobRepository().getLastJobExecution(current.getJobInstance());
        if (last != null && last.getId() != id) {
            throw new UsageException("restart: execution " + id + " is not the last of its instance; the "
                    + "last is " + last.getId() + " (" + last.getStatus() + ")");
        }
        BatchStatus status = current.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED || status == BatchStatus.UNKNOWN) {
            throw new UsageException("restart: execution " + id + " of " + job + " is " + status
                    + "; only FAILED or STOPPED executions restart ("
                    + (status == BatchStatus.UNKNOWN ? "abandon " + id + ", then launch the job again"
                            : "launch the job again for a new run") + ")");
        }
    }

    /** The jobs' own checks (e.g. inputs unchanged since the failed run). */
    private static void jobChecks(Batch batch, JobExecution current) {
        for (RestartCheck check : batch.context().getBeanProvider(RestartCheck.class)) {
            try {
                check.beforeRestart(current);
            }
            catch (InvalidJobParametersException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    @Override
    int run(long id, Batch batch) throws Exception {
        JobExecution execution = batch.find(id);
        String job = jobOf(execution);
        // The checks run under the instance lock, so a launch that finishes meanwhile cannot slip in.
        JobExecution restarted = batch.jobRunner().restart(execution, current -> {
            checkStatus(id, batch, current);
            jobChecks(batch, current);
            batch.console().err().println(job + ": restarting execution " + id + " (" + current.getStatus() + ")");
        }, batch.console().err()::println);
        RunSummary.print(restarted, batch.console());
        return ExitCodes.of(restarted);
    }
}
