package com.cruddur.batch.launch;

import com.cruddur.batch.job.UsageException;

import com.cruddur.batch.job.RestartCheck;

import com.cruddur.batch.job.Console;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * {@code executions}, {@code restart <id>}, {@code stop <id>}, {@code abandon <id>}, {@code recover <id>}:
 * the job repository's history and Spring Batch's {@link JobOperator} verbs, one line per answer. Whether
 * the process of a running execution is alive is decided by its job-instance lock ({@link JobLock}):
 * held means alive, free means gone.
 */
final class ExecutionCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final Console console;
    private final List<RestartCheck> restartChecks;
    private final JobRunner jobRunner;
    private final JobLock jobLock;

    ExecutionCommands(ApplicationContext context) {
        this.restartChecks = context.getBeanProvider(RestartCheck.class).stream().toList();
        this.jobRepository = context.getBean(JobRepository.class);
        this.jobOperator = context.getBean(JobOperator.class);
        this.console = context.getBean(Console.class);
        this.jobRunner = context.getBean(JobRunner.class);
        this.jobLock = context.getBean(JobLock.class);
    }

    /** The most recent executions, newest first, of one job or of all. */
    int list(String jobName, int last) {
        List<String> names = jobName != null ? List.of(jobName) : jobRepository.getJobNames();
        List<JobExecution> executions = new ArrayList<>();
        for (String name : names) {
            // Instance ids grow with time, so each job's newest `last` instances hold its newest executions.
            for (JobInstance instance : jobRepository.getJobInstances(name, 0, last)) {
                executions.addAll(jobRepository.getJobExecutions(instance));
            }
        }
        executions.sort(Comparator.comparingLong(JobExecution::getId).reversed());
        if (executions.isEmpty()) {
            console.println("no executions" + (jobName != null ? " of " + jobName : "") + " in the job repository");
            return ExitCodes.COMPLETED;
        }
        console.printf("%6s  %-22s %-9s %-19s  %-19s  %s%n", "id", "job", "status", "start", "end",
                "parameters | exit");
        for (JobExecution e : executions.subList(0, Math.min(last, executions.size()))) {
            String exit = e.getExitStatus().getExitDescription();
            exit = exit == null || exit.isBlank() ? e.getExitStatus().getExitCode()
                    : e.getExitStatus().getExitCode() + ": " + exit.lines().findFirst().orElse("");
            console.printf("%6d  %-22s %-9s %-19s  %-19s  %s | %s%n", e.getId(), e.getJobInstance().getJobName(),
                    e.getStatus(), time(e.getStartTime()), time(e.getEndTime()), parameters(e), exit);
        }
        return ExitCodes.COMPLETED;
    }

    /** Restarts the instance of a FAILED or STOPPED execution (recovering one left running by a dead process). */
    int restart(long id) throws Exception {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        JobExecution restarted;
        try {
            // The checks run under the instance lock, so a launch that finishes meanwhile cannot slip in.
            restarted = jobRunner.restart(execution, current -> {
                JobExecution last = jobRepository.getLastJobExecution(current.getJobInstance());
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
                for (RestartCheck check : restartChecks) {
                    try {
                        check.beforeRestart(current);
                    }
                    catch (InvalidJobParametersException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                console.err().println(job + ": restarting execution " + id + " (" + status + ")");
            }, console.err()::println);
        }
        catch (JobRunner.JobNotStartedException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.NOT_STARTED;
        }
        RunSummary.print(restarted, console);
        return new ExitCodes().intValue(restarted.getExitStatus().getExitCode());
    }

    /**
     * Marks an execution left running by a process that is gone FAILED, so that it can be restarted.
     * Refuses (exit 4) while its process is alive, which a recover would wreck: that process's next
     * commit would find the execution changed under it and end UNKNOWN.
     */
    int recover(long id) throws Exception {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        if (!execution.getStatus().isRunning()) {
            console.println("execution " + id + " of " + job + " is " + execution.getStatus() + ": nothing to recover");
            return ExitCodes.COMPLETED;
        }
        Optional<JobLock.Held> lock = jobLock.tryAcquire(JobLock.instanceKey(job, execution.getJobParameters()));
        if (lock.isEmpty()) {
            console.err().println("error: recover: execution " + id + " of " + job + " is " + execution.getStatus()
                    + " and its process is alive" + process(execution) + ": it holds the job-instance lock in the job "
                    + "repository; recover is only for executions whose process is gone; to end it: stop " + id);
            return ExitCodes.NOT_STARTED;
        }
        try (JobLock.Held held = lock.get()) {
            JobExecution current = find(id);
            if (!current.getStatus().isRunning()) {
                console.println("execution " + id + " of " + job + " is " + current.getStatus() + ": nothing to recover");
                return ExitCodes.COMPLETED;
            }
            jobOperator.recover(current);
        }
        console.println("execution " + id + " of " + job + " marked FAILED (its process is gone: nothing held its "
                + "job-instance lock); launch the job again with the same parameters to restart it");
        return ExitCodes.COMPLETED;
    }

    private static String process(JobExecution execution) {
        String process = ProcessMarker.describe(execution);
        return process != null ? " (" + process + ")" : "";
    }

    private boolean processAlive(JobExecution execution) throws Exception {
        return jobLock.isHeld(JobLock.instanceKey(execution.getJobInstance().getJobName(), execution.getJobParameters()));
    }

    /**
     * Asks a running execution to stop: STOPPING in the repository, which the process running it sees
     * at its next commit (any host sharing the repository).
     */
    int stop(long id) throws Exception {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        if (execution.getStatus().isRunning() && !processAlive(execution)) {
            throw new UsageException("stop: execution " + id + " of " + job + " was left " + execution.getStatus()
                    + " by a process that is gone" + process(execution) + " (nothing holds its job-instance lock); "
                    + "run: recover " + id);
        }
        for (int attempt = 1;; attempt++) {
            try {
                RunningJobs.requestStop(jobRepository, execution);
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
                sleepQuietly(100L * attempt);
                execution = find(id);
            }
        }
        console.println("execution " + id + " of " + job + " is STOPPING: it ends STOPPED at its next commit "
                + "and can then be restarted (restart " + id + ")");
        return ExitCodes.COMPLETED;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Marks a stopped, failed or UNKNOWN execution ABANDONED, so it will never be restarted, and says so
     * only once the repository says it.
     */
    int abandon(long id) throws Exception {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        Optional<JobLock.Held> lock = jobLock.tryAcquire(JobLock.instanceKey(job, execution.getJobParameters()));
        if (lock.isEmpty()) {
            console.err().println("error: abandon: " + jobRunner.liveHolder(job, execution.getJobParameters()));
            return ExitCodes.NOT_STARTED;
        }
        try (JobLock.Held held = lock.get()) {
            execution = find(id);
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
                jobRepository.update(execution);
            }
            else if (status != BatchStatus.ABANDONED) {
                jobOperator.abandon(execution);
            }
        }
        BatchStatus now = find(id).getStatus();
        if (now != BatchStatus.ABANDONED) {
            console.err().println("error: abandon: execution " + id + " of " + job + " is still " + now
                    + " in the job repository");
            return ExitCodes.FAILED;
        }
        console.println("execution " + id + " of " + job + " is ABANDONED: it will not be restarted; launching "
                + job + " with the same parameters starts a new run");
        return ExitCodes.COMPLETED;
    }

    private JobExecution find(long id) {
        JobExecution execution = find(jobRepository, id);
        if (execution == null) {
            throw new UsageException("no job execution " + id + "; 'executions' lists them");
        }
        return execution;
    }

    /** The execution, or null; Spring Batch 6.0's JDBC DAO throws for an unknown id instead of returning null. */
    static JobExecution find(JobRepository jobRepository, long id) {
        try {
            return jobRepository.getJobExecution(id);
        }
        catch (EmptyResultDataAccessException e) {
            return null;
        }
    }

    static String parameters(JobExecution execution) {
        return execution.getJobParameters().parameters().stream()
                .sorted(Comparator.comparing(JobParameter::name))
                .map(p -> p.name() + "=" + p.value())
                .collect(Collectors.joining(" "));
    }

    private static String time(LocalDateTime time) {
        return time == null ? "-" : TIME.format(time);
    }
}
