package com.cruddur.batch.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * A job's own condition for restarting one of its instances, checked by the launcher and the
 * {@code restart} command before a new execution is created (e.g. that the input a restart would
 * resume in is the one the failed run read). Beans of this type are asked on every restart.
 */
public interface RestartCheck {

    /**
     * @param last the execution about to be restarted (its job name tells whether the check applies)
     * @throws InvalidJobParametersException when the restart must be refused: one line, exit code 2
     */
    void beforeRestart(JobExecution last) throws InvalidJobParametersException;
}
