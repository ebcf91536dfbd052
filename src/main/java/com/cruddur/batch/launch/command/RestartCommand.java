package com.cruddur.batch.launch.command;

import com.cruddur.batch.job.RestartCheck;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.RunSummary;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * {@code restart <id>}: restarts the instance of a FAILED or STOPPED execution (recovering one left
 * running by a process that is gone), under its job-instance lock ({@code JobRunner.restart}).
 */
public final class RestartCommand extends ExecutionCommand {

    @Override
    int run(long id, Batch batch) throws Exception {
        JobExecution execution = batch.find(id);
        String job = jobOf(execution);
        // The checks run under the instance lock, so a launch that finishes meanwhile cannot slip in.
        JobExecution restarted = batch.jobRunner().restart(execution, current -> {
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
            for (RestartCheck check : batch.context().getBeanProvider(RestartCheck.class)) {
                try {
                    check.beforeRestart(current);
                }
                catch (InvalidJobParametersException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            batch.console().err().println(job + ": restarting execution " + id + " (" + status + ")");
        }, batch.console().err()::println);
        RunSummary.print(restarted, batch.console());
        return ExitCodes.of(restarted);
    }
}
