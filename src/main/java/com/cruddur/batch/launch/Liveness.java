package com.cruddur.batch.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BooleanSupplier;

import com.cruddur.batch.job.UsageException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.scheduling.TaskScheduler;

/**
 * The scheduler's liveness file ({@code cruddur.scheduler.liveness.file}): touched every interval by a
 * heartbeat that runs on the scheduler's own task scheduler (the executor that fires the ticks), and only
 * while the scheduler runs, every schedule is still scheduled and the job repository answers a query. A
 * probe checks the file's age ({@code find FILE -mmin -1}), so a hung process, a wedged executor or an
 * unreachable job repository all show as a file that stops getting younger. A file rather than an HTTP
 * endpoint: no web server to start and no port to open in a batch image.
 */
final class Liveness {

    static final String PREFIX = Scheduler.PREFIX + ".liveness";
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final Log logger = LogFactory.getLog(Liveness.class);

    private final Path file;
    private final JobRepository jobRepository;
    private final BooleanSupplier running;
    private final List<ScheduledFuture<?>> schedules;
    private volatile boolean healthy = true;

    Liveness(Path file, JobRepository jobRepository, BooleanSupplier running, List<ScheduledFuture<?>> schedules) {
        this.file = file;
        this.jobRepository = jobRepository;
        this.running = running;
        this.schedules = schedules;
    }

    /** At start: a file the probe would never see touched is a configuration mistake, said at once. */
    void checkWritable() {
        try {
            // Written and removed again: only a healthy beat may leave a fresh file.
            touch();
            Files.delete(file);
        }
        catch (IOException e) {
            throw new UsageException(PREFIX + ".file: cannot write " + file + " (" + e.getClass().getSimpleName()
                    + "); give a writable path, e.g. /tmp/cruddur-alive");
        }
    }

    ScheduledFuture<?> start(TaskScheduler taskScheduler, Duration interval) {
        return taskScheduler.scheduleWithFixedDelay(this::beat, interval);
    }

    void beat() {
        String problem = problem();
        if (problem != null) {
            if (healthy) {
                logger.warn("liveness: not touching " + file + ": " + problem);
            }
            healthy = false;
            return;
        }
        try {
            touch();
            if (!healthy) {
                logger.info("liveness: healthy again");
            }
            healthy = true;
        }
        catch (IOException e) {
            logger.warn("liveness: could not touch " + file + ": " + e);
        }
    }

    private void touch() throws IOException {
        if (Files.exists(file)) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        }
        else {
            Files.createFile(file);
        }
    }

    private String problem() {
        if (!running.getAsBoolean()) {
            return "the scheduler is stopping";
        }
        if (schedules.stream().anyMatch(ScheduledFuture::isDone)) {
            return "a schedule is no longer scheduled";
        }
        try {
            // The simplest query Spring Batch offers: one select on the job instance table.
            jobRepository.getJobNames();
            return null;
        }
        catch (RuntimeException e) {
            return "the job repository does not answer (" + RunSummary.oneLine(e) + ")";
        }
    }

    /** On stop: a scheduler that is gone must not look alive to a probe that runs before the container ends. */
    void remove() {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            logger.warn("liveness: could not remove " + file + ": " + e);
        }
    }
}
