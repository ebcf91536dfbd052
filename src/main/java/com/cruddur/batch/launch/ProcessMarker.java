package com.cruddur.batch.launch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Records which process runs an execution (host and PID in the job's ExecutionContext), so that a
 * later launch can tell an execution left STARTED by a killed process from one still running.
 * Attached to every job bean, so no job configuration has to remember it.
 */
@Component
public class ProcessMarker implements EveryJobListener {

    static final String HOST_KEY = "launcher.host";
    static final String PID_KEY = "launcher.pid";

    private final JobRepository jobRepository;

    public ProcessMarker(@Lazy JobRepository jobRepository) {
        this.jobRepository = jobRepository;
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        jobExecution.getExecutionContext().putString(HOST_KEY, hostName());
        jobExecution.getExecutionContext().putLong(PID_KEY, ProcessHandle.current().pid());
        jobRepository.updateExecutionContext(jobExecution);
    }

    /** True when the execution was started on this host by a process that no longer exists. */
    static boolean isOrphaned(JobExecution execution) {
        var context = execution.getExecutionContext();
        if (!context.containsKey(PID_KEY) || !hostName().equals(context.getString(HOST_KEY, ""))) {
            return false;
        }
        long pid = context.getLong(PID_KEY);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return pid != ProcessHandle.current().pid() && process.map(p -> !p.isAlive()).orElse(true);
    }

    static String describe(JobExecution execution) {
        var context = execution.getExecutionContext();
        return context.containsKey(PID_KEY)
                ? "pid " + context.getLong(PID_KEY) + " on " + context.getString(HOST_KEY, "?")
                : "unknown process";
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
