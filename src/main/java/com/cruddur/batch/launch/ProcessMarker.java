package com.cruddur.batch.launch;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Records which process runs an execution (host and PID in the job's ExecutionContext), for the
 * messages that name it. Only for people: whether that process is alive is decided by the job-instance
 * lock ({@link JobLock}), since containers can share a host name without sharing PIDs. Attached to every
 * job bean, so no job configuration has to remember it.
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

    /** "pid N on host", or null when the process had not recorded itself yet. */
    public static String describe(JobExecution execution) {
        var context = execution.getExecutionContext();
        return context.containsKey(PID_KEY)
                ? "pid " + context.getLong(PID_KEY) + " on " + context.getString(HOST_KEY, "?")
                : null;
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
