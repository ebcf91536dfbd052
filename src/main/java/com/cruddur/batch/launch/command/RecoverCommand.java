package com.cruddur.batch.launch.command;

import java.util.Optional;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.JobLock;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code recover <id>}: marks an execution left running by a process that is gone FAILED
 * ({@code JobOperator.recover}), so that it can be restarted. Refuses (exit 4) while its process is alive:
 * that process's next commit would find the execution changed under it and end UNKNOWN.
 */
public final class RecoverCommand extends ExecutionCommand {

    @Override
    int run(long id, Batch batch) throws Exception {
        JobExecution execution = batch.find(id);
        String job = jobOf(execution);
        if (!execution.getStatus().isRunning()) {
            batch.console().println("execution " + id + " of " + job + " is " + execution.getStatus() + ": nothing to recover");
            return ExitCodes.COMPLETED;
        }
        Optional<JobLock.Held> lock = batch.jobLock().tryAcquire(batch.instanceKey(execution));
        if (lock.isEmpty()) {
            batch.console().err().println("error: recover: execution " + id + " of " + job + " is "
                    + execution.getStatus() + " and its process is alive" + process(execution) + ": it holds the "
                    + "job-instance lock in the job repository; recover is only for executions whose process is "
                    + "gone; to end it: stop " + id);
            return ExitCodes.NOT_STARTED;
        }
        try (JobLock.Held held = lock.get()) {
            JobExecution current = batch.find(id);
            if (!current.getStatus().isRunning()) {
                batch.console().println("execution " + id + " of " + job + " is " + current.getStatus() + ": nothing to recover");
                return ExitCodes.COMPLETED;
            }
            batch.jobOperator().recover(current);
        }
        batch.console().println("execution " + id + " of " + job + " marked FAILED (its process is gone: nothing "
                + "held its job-instance lock); launch the job again with the same parameters to restart it");
        return ExitCodes.COMPLETED;
    }
}
