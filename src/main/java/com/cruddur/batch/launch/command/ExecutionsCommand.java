package com.cruddur.batch.launch.command;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.Invocation;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.repository.JobRepository;

/** {@code executions [<job>] [last=N]}: the most recent executions, newest first, of one job or of all. */
public final class ExecutionsCommand implements Command {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Override
    public int run(Invocation invocation) {
        String jobName = null;
        int last = 20;
        for (String arg : invocation.args()) {
            if (arg.startsWith("last=")) {
                String value = arg.substring("last=".length());
                if (!value.matches("[1-9]\\d{0,5}")) {
                    throw new UsageException("executions: bad value for last='" + value + "': expected a whole number above 0");
                }
                last = Integer.parseInt(value);
            }
            else if (jobName == null && !arg.contains("=")) {
                jobName = RunCommand.job(arg).name();
            }
            else {
                throw new UsageException("executions: expected [<job>] [last=N], got '" + arg + "'");
            }
        }
        String job = jobName;
        int count = last;
        return invocation.inContext(context -> list(context.getBean(JobRepository.class), job, count,
                invocation.console()));
    }

    private static int list(JobRepository jobRepository, String jobName, int last, Console console) {
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

    private static String parameters(JobExecution execution) {
        return execution.getJobParameters().parameters().stream()
                .sorted(Comparator.comparing(JobParameter::name))
                .map(p -> p.name() + "=" + p.value())
                .collect(Collectors.joining(" "));
    }

    private static String time(LocalDateTime time) {
        return time == null ? "-" : TIME.format(time);
    }
}
