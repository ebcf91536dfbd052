package com.cruddur.batch.launch;

import java.util.Map;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.support.SimpleJvmExitCodeMapper;

/**
 * Process exit codes, documented in the README: Spring Batch's exit-status mapping (COMPLETED 0, FAILED and
 * anything unknown 1) plus ours, so the scheduler and the one-off launcher agree.
 */
public final class ExitCodes extends SimpleJvmExitCodeMapper {

    public static final int COMPLETED = 0;
    public static final int FAILED = 1;
    /**
     * A mistake in what the user gave: command line (unknown job, parameter or --cruddur.* property, bad
     * value, parameters that disagree) or configuration (invalid or missing setting). Fix it and run again.
     */
    public static final int USAGE = 2;
    public static final int STOPPED = 3;
    /**
     * Not started or refused because of the state of things, not the input: a live process runs the same
     * job instance (launch, restart, recover, abandon), the job repository is unreachable, or an execution
     * ended UNKNOWN and needs abandoning first.
     */
    public static final int NOT_STARTED = 4;
    /** The job completed, but rejected some records (they are in its rejects file). */
    public static final int COMPLETED_WITH_REJECTS = 5;

    private static final ExitCodes MAPPER = new ExitCodes();

    private ExitCodes() {
        setMapping(Map.of(
                ExitStatus.NOOP.getExitCode(), COMPLETED,
                ExitStatus.STOPPED.getExitCode(), STOPPED,
                RejectsExitStatus.EXIT_CODE, COMPLETED_WITH_REJECTS));
    }

    /** The exit code of a finished execution. */
    public static int of(JobExecution execution) {
        return MAPPER.intValue(execution.getExitStatus().getExitCode());
    }
}
