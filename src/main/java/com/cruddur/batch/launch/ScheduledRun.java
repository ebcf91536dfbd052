package com.cruddur.batch.launch;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.cruddur.batch.job.Console;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;

/**
 * One schedule entry of {@link Scheduler}: the trigger records the instant it fires for, which becomes
 * {@code scheduled.time}; each tick runs the entry's job under the job's {@link JobLock}.
 */
final class ScheduledRun implements Runnable, Trigger {

    /** The scheduler's log: its lines are the schedule's history. */
    private static final Log logger = LogFactory.getLog(Scheduler.class);

    final Scheduler.Checked checked;
    private final JobRunner jobRunner;
    private final JobRepository jobRepository;
    private final JobLock jobLock;
    private final RunningJobs runningJobs;
    private final Console console;
    private volatile Instant scheduledTime;

    ScheduledRun(Scheduler.Checked checked, JobRunner jobRunner, JobRepository jobRepository, JobLock jobLock,
            RunningJobs runningJobs, Console console) {
        this.checked = checked;
        this.jobRunner = jobRunner;
        this.jobRepository = jobRepository;
        this.jobLock = jobLock;
        this.runningJobs = runningJobs;
        this.console = console;
    }

    @Override
    public Instant nextExecution(TriggerContext context) {
        Instant next = checked.cron().nextExecution(context);
        scheduledTime = next;
        return next;
    }

    @Override
    public void run() {
        Instant at = scheduledTime;
        try {
            tick(at);
        }
        catch (Exception e) {
            // A failed tick must not end the schedule.
            logger.error(checked.name() + " scheduled at " + at + ": " + RunSummary.oneLine(e));
        }
    }

    private void tick(Instant scheduledTime) throws Exception {
        String job = checked.descriptor().name();
        // Log lines name the entry; for an entry named after its job (the default) that is the job.
        String label = checked.name().equals(job) ? job : checked.name() + " (" + job + ")";
        if (runningJobs.isShuttingDown()) {
            return;
        }
        Optional<JobLock.Held> lock = jobLock.tryAcquire(job);
        if (lock.isEmpty()) {
            logger.warn(label + " scheduled at " + scheduledTime + ": skipped, another run of " + job
                    + " holds the job lock");
            return;
        }
        try (JobLock.Held held = lock.get()) {
            for (JobExecution running : jobRepository.findRunningJobExecutions(job)) {
                // A live process holds the instance lock of its execution; a free lock means it is gone.
                Optional<JobLock.Held> instanceLock = jobLock.tryAcquire(
                        JobLock.instanceKey(job, running.getJobParameters()));
                if (instanceLock.isEmpty()) {
                    logger.warn(label + " scheduled at " + scheduledTime + ": skipped, execution " + running.getId()
                            + " is " + running.getStatus() + " in a live process");
                    return;
                }
                try (JobLock.Held recovering = instanceLock.get()) {
                    JobExecution current = jobRepository.getJobExecution(running.getId());
                    if (current.getStatus().isRunning()) {
                        logger.warn(jobRunner.recoverOrphan(job, current));
                    }
                }
            }
            JobExecution execution;
            JobExecution failed = checked.schedule().restartFailed() ? lastUnfinishedScheduledRun() : null;
            if (failed != null) {
                // The failed run's own parameters, placeholders resolved for its instant: it resumes into
                // the same destination.
                logger.info(label + " scheduled at " + scheduledTime + ": restarting execution " + failed.getId()
                        + " (" + failed.getStatus() + ", scheduled at "
                        + failed.getJobParameters().getString(Scheduler.SCHEDULED_TIME) + ")");
                execution = jobRunner.restart(failed, current -> {
                }, logger::warn);
            }
            else {
                logger.info(label + " scheduled at " + scheduledTime + ": starting");
                Map<String, String> given = checked.descriptor().parse(
                        Scheduler.arguments(SchedulePlaceholders.resolve(checked.template(), scheduledTime, checked.zone())));
                Path created = prepareFolder(checked, given, scheduledTime);
                try {
                    execution = jobRunner.launch(checked.descriptor(), given, new JobParametersBuilder()
                            .addString(Scheduler.SCHEDULED_TIME, scheduledTime.toString())
                            .addString(Scheduler.SCHEDULED_BY, checked.name()).toJobParameters());
                }
                catch (Exception e) {
                    if (created != null) {
                        ScheduledExports.unprepare(created);
                    }
                    throw e;
                }
            }
            synchronized (console) {
                RunSummary.print(execution, console);
            }
            if (checked.schedule().keep() != null && ExitStatus.COMPLETED.getExitCode()
                    .equals(execution.getExitStatus().getExitCode())) {
                // Only now that the new export is complete may an older one go.
                String template = checked.template().get(ScheduledExports.FOLDER_PARAMETER.get(job));
                for (Path deleted : ScheduledExports.prune(template, checked.name(), checked.schedule().keep())) {
                    logger.info(checked.name() + ": deleted the export " + deleted + " (keep: "
                            + checked.schedule().keep() + ")");
                }
            }
        }
    }

    /** For jobs that export into a folder: the folder, made by the scheduler (so retention knows it as its own). */
    private static Path prepareFolder(Scheduler.Checked checked, Map<String, String> given, Instant scheduledTime)
            throws java.io.IOException {
        String parameter = ScheduledExports.FOLDER_PARAMETER.get(checked.descriptor().name());
        String dir = parameter == null ? null : given.get(parameter);
        if (dir == null || ScheduledExports.isUrl(dir)) {
            return null;
        }
        Path path = Path.of(dir);
        return ScheduledExports.prepare(path, checked.name(), scheduledTime) ? path : null;
    }

    /**
     * The newest run of this entry, when it FAILED or STOPPED. Runs made before entries had names carry no
     * {@code scheduled.by}; they belong to the entry named like the job.
     */
    private JobExecution lastUnfinishedScheduledRun() {
        String job = checked.descriptor().name();
        int page = 100;
        for (int start = 0;; start += page) {
            List<JobInstance> instances = jobRepository.getJobInstances(job, start, page);
            for (JobInstance instance : instances) {
                JobExecution last = jobRepository.getLastJobExecution(instance);
                if (last == null || last.getJobParameters().getString(Scheduler.SCHEDULED_TIME) == null) {
                    continue;
                }
                String by = last.getJobParameters().getString(Scheduler.SCHEDULED_BY);
                if (!checked.name().equals(by != null ? by : job)) {
                    continue;
                }
                return last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED ? last : null;
            }
            if (instances.size() < page) {
                return null;
            }
        }
    }
}
