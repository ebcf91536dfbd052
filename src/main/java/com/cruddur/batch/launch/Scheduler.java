package com.cruddur.batch.launch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * {@code schedule}: runs jobs on the cron expressions of {@code cruddur.scheduler.schedules}
 * (jobs-config/schedules.yml) until SIGTERM. Every run carries the identifying parameter
 * {@code scheduled.time} (the cron instant), so runs are distinct instances. A job never runs twice
 * at once: each tick takes the job's {@link JobLock} in the job repository and then also checks the
 * repository for a running execution (a one-off launch) whose process is alive (holds its job-instance
 * lock), so this holds across scheduler processes.
 */
@Component
public class Scheduler {

    public static final String SCHEDULED_TIME = "scheduled.time";
    static final String PREFIX = "cruddur.scheduler";

    private static final Log logger = LogFactory.getLog(Scheduler.class);

    /** One entry of {@code cruddur.scheduler.schedules}. */
    public record Schedule(String job, String cron, String zone, Map<String, String> parameters,
            boolean restartFailed) {
    }

    private final Environment environment;
    private final JobRunner jobRunner;
    private final JobRepository jobRepository;
    private final JobOperator jobOperator;
    private final JobLock jobLock;
    private final RunningJobs runningJobs;
    private final Console console;

    public Scheduler(Environment environment, JobRunner jobRunner, JobRepository jobRepository,
            JobOperator jobOperator, JobLock jobLock, RunningJobs runningJobs, Console console) {
        this.environment = environment;
        this.jobRunner = jobRunner;
        this.jobRepository = jobRepository;
        this.jobOperator = jobOperator;
        this.jobLock = jobLock;
        this.runningJobs = runningJobs;
        this.console = console;
    }

    /** Runs until the process is asked to shut down; returns the exit code. */
    public int run() throws Exception {
        List<Schedule> schedules = Binder.get(environment)
                .bind(PREFIX + ".schedules", Bindable.listOf(Schedule.class)).orElse(List.of());
        if (schedules.isEmpty()) {
            throw new UsageException("schedule: no schedules; add " + PREFIX + ".schedules to "
                    + Launcher.DEFAULT_CONFIG_DIR + "/schedules.yml");
        }
        List<ScheduledRun> runs = new ArrayList<>();
        for (int i = 0; i < schedules.size(); i++) {
            runs.add(check(PREFIX + ".schedules[" + i + "]", schedules.get(i)));
        }
        jobLock.ensureTable();
        ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
        taskScheduler.setPoolSize(runs.size());
        taskScheduler.setThreadNamePrefix("schedule-");
        taskScheduler.initialize();
        for (ScheduledRun run : runs) {
            taskScheduler.schedule(run, run);
            console.println("scheduled " + run.schedule.job() + " on '" + run.schedule.cron() + "' (" + run.zone
                    + "), next at " + run.cron.nextExecution(new org.springframework.scheduling.support.SimpleTriggerContext()));
        }
        while (!runningJobs.isShuttingDown()) {
            Thread.sleep(200);
        }
        // Running jobs were asked to stop by the shutdown hook; let their ticks finish writing STOPPED.
        taskScheduler.getScheduledExecutor().shutdown();
        taskScheduler.getScheduledExecutor().awaitTermination(
                environment.getProperty("cruddur.batch.stop-timeout", Duration.class, Launcher.STOP_TIMEOUT).toSeconds(),
                TimeUnit.SECONDS);
        console.println("scheduler stopped");
        return ExitCodes.COMPLETED;
    }

    private ScheduledRun check(String where, Schedule schedule) {
        if (schedule.job() == null) {
            throw new UsageException(where + ".job: missing");
        }
        JobDescriptor descriptor = JobCatalog.find(schedule.job()).orElseThrow(() -> new UsageException(
                where + ".job: unknown job '" + schedule.job() + "'; 'list' shows the jobs"));
        if (schedule.cron() == null || !CronExpression.isValidExpression(schedule.cron())) {
            throw new UsageException(where + ".cron: '" + schedule.cron()
                    + "' is not a cron expression (six fields: second minute hour day month weekday, e.g. '0 30 2 * * *')");
        }
        ZoneId zone;
        try {
            zone = schedule.zone() == null ? ZoneId.of("UTC") : ZoneId.of(schedule.zone());
        }
        catch (RuntimeException e) {
            throw new UsageException(where + ".zone: unknown time zone '" + schedule.zone() + "'");
        }
        List<String> args = new ArrayList<>();
        if (schedule.parameters() != null) {
            schedule.parameters().forEach((k, v) -> args.add(k + "=" + v));
        }
        Map<String, String> given;
        try {
            given = descriptor.parse(args);
        }
        catch (UsageException e) {
            throw new UsageException(where + ".parameters: " + e.getMessage());
        }
        return new ScheduledRun(schedule, descriptor, given, new CronTrigger(schedule.cron(), zone), zone);
    }

    /** One schedule: the trigger records the instant it fires for, which becomes {@code scheduled.time}. */
    private final class ScheduledRun implements Runnable, Trigger {

        final Schedule schedule;
        final JobDescriptor descriptor;
        final Map<String, String> given;
        final CronTrigger cron;
        final ZoneId zone;
        volatile Instant scheduledTime;

        ScheduledRun(Schedule schedule, JobDescriptor descriptor, Map<String, String> given, CronTrigger cron,
                ZoneId zone) {
            this.schedule = schedule;
            this.descriptor = descriptor;
            this.given = given;
            this.cron = cron;
            this.zone = zone;
        }

        @Override
        public Instant nextExecution(TriggerContext context) {
            Instant next = cron.nextExecution(context);
            scheduledTime = next;
            return next;
        }

        @Override
        public void run() {
            try {
                tick(this, scheduledTime);
            }
            catch (Exception e) {
                // A failed tick must not end the schedule.
                logger.error(schedule.job() + " scheduled at " + scheduledTime + ": " + RunSummary.oneLine(e));
            }
        }
    }

    private void tick(ScheduledRun run, Instant scheduledTime) throws Exception {
        String job = run.descriptor.name();
        if (runningJobs.isShuttingDown()) {
            return;
        }
        Optional<JobLock.Held> lock = jobLock.tryAcquire(job);
        if (lock.isEmpty()) {
            logger.warn(job + " scheduled at " + scheduledTime + ": skipped, another run of " + job
                    + " holds the job lock");
            return;
        }
        try (JobLock.Held held = lock.get()) {
            for (JobExecution running : jobRepository.findRunningJobExecutions(job)) {
                // A live process holds the instance lock of its execution; a free lock means it is gone.
                Optional<JobLock.Held> instanceLock = jobLock.tryAcquire(
                        JobLock.instanceKey(job, running.getJobParameters()));
                if (instanceLock.isEmpty()) {
                    logger.warn(job + " scheduled at " + scheduledTime + ": skipped, execution " + running.getId()
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
            JobExecution failed = run.schedule.restartFailed() ? lastUnfinishedScheduledRun(job) : null;
            if (failed != null) {
                logger.info(job + " scheduled at " + scheduledTime + ": restarting execution " + failed.getId()
                        + " (" + failed.getStatus() + ", scheduled at "
                        + failed.getJobParameters().getString(SCHEDULED_TIME) + ")");
                execution = jobRunner.restart(failed, current -> {
                }, logger::warn);
            }
            else {
                logger.info(job + " scheduled at " + scheduledTime + ": starting");
                execution = jobRunner.launch(run.descriptor, run.given, new JobParametersBuilder()
                        .addString(SCHEDULED_TIME, scheduledTime.toString()).toJobParameters());
            }
            synchronized (console) {
                RunSummary.print(execution, console);
            }
        }
    }

    /** The newest scheduled instance of the job, when its last execution FAILED or STOPPED. */
    private JobExecution lastUnfinishedScheduledRun(String job) {
        for (JobInstance instance : jobRepository.getJobInstances(job, 0, 20)) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || last.getJobParameters().getString(SCHEDULED_TIME) == null) {
                continue;
            }
            return last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED ? last : null;
        }
        return null;
    }
}
