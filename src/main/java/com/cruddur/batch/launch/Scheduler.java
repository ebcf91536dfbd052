package com.cruddur.batch.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.UsageException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.scheduling.support.SimpleTriggerContext;
import org.springframework.stereotype.Component;

/**
 * {@code schedule}: runs jobs on the cron expressions of {@code cruddur.scheduler.schedules}
 * (jobs-config/schedules.yml) until SIGTERM. Every run carries the identifying parameters
 * {@code scheduled.time} (the cron instant) and {@code scheduled.by} (the entry's name), so runs are
 * distinct instances and each entry finds its own runs again (restart-failed, retention). Parameter values
 * may hold {@code {scheduled.time}} and {@code {scheduled.date}}, resolved per run. A job never runs twice
 * at once: each tick takes the job's {@link JobLock} in the job repository and then also checks the
 * repository for a running execution (a one-off launch) whose process is alive (holds its job-instance
 * lock), so this holds across scheduler processes.
 */
@Component
public class Scheduler {

    public static final String SCHEDULED_TIME = "scheduled.time";
    /** The schedule entry's name: which entry a run belongs to. */
    public static final String SCHEDULED_BY = "scheduled.by";
    public static final String PREFIX = "cruddur.scheduler";

    /**
     * One entry of {@code cruddur.scheduler.schedules}.
     *
     * @param name the entry's name (default: the job's); tells two entries of one job apart
     * @param keep retention: keep the newest N completed exports of this entry, delete older ones (null: keep all)
     */
    public record Schedule(String name, String job, String cron, String zone, Map<String, String> parameters,
            boolean restartFailed, Integer keep) {

        String nameOrJob() {
            return name != null ? name : job;
        }
    }

    /** An entry that passed {@link #check}: what a tick needs. */
    record Checked(Schedule schedule, String name, JobDescriptor descriptor, Map<String, String> template,
            CronTrigger cron, ZoneId zone) {
    }

    private final Environment environment;
    private final JobRunner jobRunner;
    private final JobRepository jobRepository;
    private final JobLock jobLock;
    private final RunningJobs runningJobs;
    private final Console console;

    public Scheduler(Environment environment, JobRunner jobRunner, JobRepository jobRepository,
            JobLock jobLock, RunningJobs runningJobs, Console console) {
        this.environment = environment;
        this.jobRunner = jobRunner;
        this.jobRepository = jobRepository;
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
                    + Invocation.DEFAULT_CONFIG_DIR + "/schedules.yml");
        }
        List<ScheduledRun> runs = checkAll(schedules).stream()
                .map(c -> new ScheduledRun(c, jobRunner, jobRepository, jobLock, runningJobs, console)).toList();
        String livenessFile = environment.getProperty(Liveness.PREFIX + ".file");
        List<ScheduledFuture<?>> futures = new ArrayList<>();
        Liveness liveness = livenessFile == null || livenessFile.isBlank() ? null
                : new Liveness(Path.of(livenessFile), jobRepository, () -> !runningJobs.isShuttingDown(), futures);
        if (liveness != null) {
            liveness.checkWritable();
        }
        jobLock.ensureTable();
        ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
        // One thread per schedule (a tick runs its job on it) and one for the liveness heartbeat, so a
        // long job never delays the heartbeat.
        taskScheduler.setPoolSize(runs.size() + 1);
        taskScheduler.setThreadNamePrefix("schedule-");
        taskScheduler.initialize();
        for (ScheduledRun run : runs) {
            futures.add(taskScheduler.schedule(run, run));
            console.println("scheduled " + (run.checked.name().equals(run.checked.descriptor().name()) ? ""
                    : run.checked.name() + ": ") + run.checked.descriptor().name() + " on '" + run.checked.schedule().cron()
                    + "' (" + run.checked.zone() + "), next at " + run.checked.cron().nextExecution(new SimpleTriggerContext()));
        }
        if (liveness != null) {
            liveness.start(taskScheduler,
                    environment.getProperty(Liveness.PREFIX + ".interval", Duration.class, Liveness.DEFAULT_INTERVAL));
        }
        while (!runningJobs.isShuttingDown()) {
            Thread.sleep(200);
        }
        if (liveness != null) {
            liveness.remove();
        }
        // Running jobs were asked to stop by the shutdown hook; let their ticks finish writing STOPPED.
        taskScheduler.getScheduledExecutor().shutdown();
        taskScheduler.getScheduledExecutor().awaitTermination(
                GracefulShutdown.timeout(environment).toSeconds(), TimeUnit.SECONDS);
        console.println("scheduler stopped");
        return ExitCodes.COMPLETED;
    }

    /** Checks every entry as {@code schedule} does at start: the first problem is one line naming the entry. */
    static List<Checked> checkAll(List<Schedule> schedules) {
        List<Checked> checked = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < schedules.size(); i++) {
            String where = PREFIX + ".schedules[" + i + "]";
            Checked entry = check(where, schedules.get(i));
            Integer before = names.putIfAbsent(entry.name(), i);
            if (before != null) {
                throw new UsageException(where + ".name: '" + entry.name() + "' is also the name of schedules["
                        + before + "]; give each entry of one job its own name: (it tells their runs and exports apart)");
            }
            checked.add(entry);
        }
        return checked;
    }

    private static Checked check(String where, Schedule schedule) {
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
        Map<String, String> template = new LinkedHashMap<>();
        if (schedule.parameters() != null) {
            schedule.parameters().forEach((k, v) -> {
                String unknown = SchedulePlaceholders.unknownIn(v);
                if (unknown != null) {
                    throw new UsageException(where + ".parameters." + k + ": unknown placeholder '" + unknown
                            + "'; known: " + SchedulePlaceholders.KNOWN);
                }
                template.put(k, v);
            });
        }
        CronTrigger cron = new CronTrigger(schedule.cron(), zone);
        // Values are checked as a run would get them: resolved for the next cron instant.
        Instant next = cron.nextExecution(new SimpleTriggerContext());
        try {
            descriptor.parse(arguments(SchedulePlaceholders.resolve(template, next != null ? next : Instant.now(), zone)));
        }
        catch (UsageException e) {
            throw new UsageException(where + ".parameters: " + e.getMessage());
        }
        if (schedule.keep() != null) {
            checkKeep(where, schedule, descriptor, template);
        }
        return new Checked(schedule, schedule.nameOrJob(), descriptor, template, cron, zone);
    }

    private static void checkKeep(String where, Schedule schedule, JobDescriptor descriptor, Map<String, String> template) {
        if (schedule.keep() < 1) {
            throw new UsageException(where + ".keep: expected a whole number above 0 (leave it out to keep every export)");
        }
        String folderParameter = ScheduledExports.FOLDER_PARAMETER.get(descriptor.name());
        if (folderParameter == null) {
            throw new UsageException(where + ".keep: only for " + String.join(", ", ScheduledExports.FOLDER_PARAMETER.keySet())
                    + " (exports in a folder with a manifest); " + descriptor.name() + " makes none");
        }
        String dir = template.get(folderParameter);
        if (ScheduledExports.isUrl(dir)) {
            throw new UsageException(where + ".keep: not for " + folderParameter + "=" + dir
                    + "; let the bucket's lifecycle rule expire old exports");
        }
        Path path = Path.of(dir);
        if (path.getFileName() == null || !SchedulePlaceholders.hasAny(path.getFileName().toString())
                || path.getParent() != null && SchedulePlaceholders.hasAny(path.getParent().toString())) {
            throw new UsageException(where + ".keep: needs " + SchedulePlaceholders.TIME + " or "
                    + SchedulePlaceholders.DATE + " in the last part of " + folderParameter + " and nowhere else (e.g. "
                    + folderParameter + ": /exports/nightly/" + SchedulePlaceholders.TIME + "), so each run has a folder of its own");
        }
    }

    static List<String> arguments(Map<String, String> parameters) {
        List<String> args = new ArrayList<>();
        parameters.forEach((k, v) -> args.add(k + "=" + v));
        return args;
    }
}
