package com.cruddur.batch.launch.command;

import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.RunningJobs;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * {@code stop <id>}: STOPPING in the repository, which the process running the execution sees at its next
 * commit (any host sharing the repository). Not {@code JobOperator.stop}: see {@link RunningJobs#requestStop}.
 */
public final class StopCommand extends ExecutionCommand {

    @Override
    int run(long id, Batch batch) throws Exception {
        JobExecution execution = batch.find(id);
        String job = jobOf(execution);
        if (execution.getStatus().isRunning() && !batch.jobLock().isHeld(batch.instanceKey(execution))) {
            throw new UsageException("stop: execution " + id + " of " + job + " was left " + execution.getStatus()
                    + " by a process that is gone" + process(execution) + " (nothing holds its job-instance lock); "
                    + "run: recover " + id);
        }
        for (int attempt = 1;; attempt++) {
            try {
                RunningJobs.requestStop(batch.jobRepository(), execution);
                break;
            }
            catch (JobExecutionNotRunningException e) {
                throw new UsageException("stop: execution " + id + " of " + job + " is " + execution.getStatus()
                        + ", not running");
            }
            catch (OptimisticLockingFailureException raced) {
                // The running process updated its execution meanwhile: read the fresh version and ask again.
                if (attempt == 5) {
                    throw raced;
                }
                Thread.sleep(100L * attempt);
                execution = batch.find(id);
            }
        }
        batch.console().println("execution " + id + " of " + job + " is STOPPING: it ends STOPPED at its next "
                + "commit and can then be restarted (restart " + id + ")");
        return ExitCodes.COMPLETED;
    }
}
