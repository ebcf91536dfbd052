package com.cruddur.batch.launch.command;

import java.time.LocalDateTime;
import java.util.Optional;

import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.JobLock;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code abandon <id>}: marks a stopped, failed or UNKNOWN execution ABANDONED, so it is never restarted,
 * and says so only once the repository says it.
 */
public final class AbandonCommand extends ExecutionCommand {

    @Override
    int run(long id, Batch batch) throws Exception {
        JobExecution execution = batch.find(id);
        String job = jobOf(execution);
        Optional<JobLock.Held> lock = batch.jobLock().tryAcquire(batch.instanceKey(execution));
        if (lock.isEmpty()) {
            batch.console().err().println("error: abandon: "
                    + batch.jobRunner().liveHolder(job, execution.getJobParameters()));
            return ExitCodes.NOT_STARTED;
        }
        try (JobLock.Held held = lock.get()) {
            execution = batch.find(id);
            BatchStatus status = execution.getStatus();
            if (status.isRunning()) {
                throw new UsageException("abandon: execution " + id + " of " + job + " is " + status + " but its "
                        + "process is gone (nothing holds its job-instance lock); run: recover " + id
                        + ", then abandon " + id);
            }
            if (status == BatchStatus.COMPLETED) {
                throw new UsageException("abandon: execution " + id + " of " + job + " is COMPLETED; nothing to abandon");
            }
            if (status == BatchStatus.UNKNOWN) {
                // JobOperator.abandon only upgrades the status, and UNKNOWN ranks above ABANDONED: it would
                // stay UNKNOWN. An operator abandoning it is exactly the decision UNKNOWN waits for.
                execution.setStatus(BatchStatus.ABANDONED);
                execution.setEndTime(LocalDateTime.now());
                batch.jobRepository().update(execution);
            }
            else if (status != BatchStatus.ABANDONED) {
                batch.jobOperator().abandon(execution);
            }
        }
        BatchStatus now = batch.find(id).getStatus();
        if (now != BatchStatus.ABANDONED) {
            batch.console().err().println("error: abandon: execution " + id + " of " + job + " is still " + now
                    + " in the job repository");
            return ExitCodes.FAILED;
        }
        batch.console().println("execution " + id + " of " + job + " is ABANDONED: it will not be restarted; "
                + "launching " + job + " with the same parameters starts a new run");
        return ExitCodes.COMPLETED;
    }
}
