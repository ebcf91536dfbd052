package com.cruddur.batch.launch;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
 * {@code executions}, {@code restart <id>}, {@code stop <id>}, {@code abandon <id>}: the job
 * repository's history and Spring Batch's {@link JobOperator} verbs, one line per answer.
 */
final class ExecutionCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final Console console;
    private final List<RestartCheck> restartChecks;

    ExecutionCommands(ApplicationContext context) {
        this.restartChecks = context.getBeanProvider(RestartCheck.class).stream().toList();
        this.jobRepository = context.getBean(JobRepository.class);
        this.jobOperator = context.getBean(JobOperator.class);
        this.console = context.getBean(Console.class);
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
        JobExecution last = jobRepository.getLastJobExecution(execution.getJobInstance());
        if (last != null && last.getId() != id) {
            throw new UsageException("restart: execution " + id + " is not the last of its instance; the last is "
                    + last.getId() + " (" + last.getStatus() + ")");
        }
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
            throw new UsageException("restart: execution " + id + " of " + job + " is " + status
                    + "; only FAILED or STOPPED executions restart (launch the job again for a new run)");
        }
        if (status.isRunning()) {
            if (!ProcessMarker.isOrphaned(execution)) {
                console.err().println("error: execution " + id + " of " + job + " is " + status + " ("
                        + ProcessMarker.describe(execution) + "); if that process is gone, run: recover " + id);
                return ExitCodes.NOT_STARTED;
            }
            jobOperator.recover(execution);
            console.err().println(job + ": execution " + id + " was left " + status + " by "
                    + ProcessMarker.describe(execution) + ", which is gone; recovered it");
        }
        for (RestartCheck check : restartChecks) {
            try {
                check.beforeRestart(execution);
            }
            catch (InvalidJobParametersException e) {
                throw new UsageException(e.getMessage());
            }
        }
        console.err().println(job + ": restarting execution " + id + " (" + status + ")");
        JobExecution restarted = jobOperator.restart(find(id));
        RunSummary.print(restarted, console);
        return new ExitCodes().intValue(restarted.getExitStatus().getExitCode());
    }

    /**
     * Asks a running execution to stop: STOPPING in the repository, which the process running it sees
     * at its next commit (any host sharing the repository).
     */
    int stop(long id) {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        if (execution.getStatus().isRunning() && ProcessMarker.isOrphaned(execution)) {
            throw new UsageException("stop: execution " + id + " of " + job + " was left " + execution.getStatus()
                    + " by " + ProcessMarker.describe(execution) + ", which is gone; run: recover " + id);
        }
        for (int attempt = 1;; attempt++) {
            try {
                jobOperator.stop(execution);
                break;
            }
            catch (JobExecutionNotRunningException e) {
                throw new UsageException("stop: execution " + id + " of " + job + " is " + execution.getStatus()
                        + ", not running");
            }
            catch (OptimisticLockingFailureException raced) {
                // stop() also updates the running step, which can collide with that process's own commit;
                // the whole stop rolled back, so read the fresh versions and ask again.
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

    /** Marks a stopped or failed execution ABANDONED, so it will never be restarted. */
    int abandon(long id) {
        JobExecution execution = find(id);
        String job = execution.getJobInstance().getJobName();
        if (execution.getStatus().isRunning()) {
            throw new UsageException("abandon: execution " + id + " of " + job + " is " + execution.getStatus()
                    + "; stop it first (stop " + id + "), or recover it if its process is gone");
        }
        try {
            jobOperator.abandon(execution);
        }
        catch (Exception e) {
            throw new UsageException("abandon: " + RunSummary.oneLine(e));
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
