package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The scheduler's liveness file, checked the way ECS and Kubernetes probe it (its age): fresh while the
 * scheduler runs, stale while the job repository (a real PostgreSQL) refuses connections or the process
 * is frozen, fresh again when they come back, gone after SIGTERM.
 */
class LivenessTest {

    /** The probe the docs give, with the age the test can afford to wait for. */
    private static final String PROBE = "test -n \"$(find \"$0\" -mmin -1)\"";
    private static final Duration STALE = Duration.ofSeconds(3);

    @TempDir
    Path tmp;

    @Test
    void theFileGoesStaleWhenTheJobRepositoryIsUnreachableOrTheProcessIsFrozen() throws Exception {
        String url = Postgres.newDatabase("liveness");
        String database = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?') > 0 ? url.indexOf('?') : url.length());
        Cli cli = new Cli().jdbcUrl(url).property("spring.datasource.username", "postgres")
                // A repository that refuses connections fails a beat in 1 s instead of Hikari's 30 s.
                .property("spring.datasource.hikari.connection-timeout", "1000");
        Path alive = tmp.resolve("alive");
        ChildLauncher scheduler = ChildLauncher.start(cli, List.of(
                "--cruddur.scheduler.schedules[0].job=list-tables",
                "--cruddur.scheduler.schedules[0].cron=0 0 0 1 1 *",
                "--cruddur.scheduler.liveness.file=" + alive,
                "--cruddur.scheduler.liveness.interval=500ms"), "schedule");
        try {
            awaitFresh(scheduler, alive);
            assertThat(probe(alive)).isZero();

            // The job repository refuses every connection, also the open ones (a database gone away).
            try (Connection admin = Postgres.server().getPostgresDatabase().getConnection();
                    Statement s = admin.createStatement()) {
                s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
                awaitStale(scheduler, alive);
                assertThat(scheduler.output()).contains("liveness: not touching " + alive
                        + ": the job repository does not answer");
                s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
            awaitFresh(scheduler, alive);

            // Every thread of the scheduler stuck at once: a hung JVM.
            signal("STOP", scheduler.process);
            try {
                Thread.sleep(STALE.toMillis() + 1000);
                assertThat(age(alive)).isGreaterThan(STALE);
            }
            finally {
                signal("CONT", scheduler.process);
            }
            awaitFresh(scheduler, alive);

            scheduler.process.destroy(); // SIGTERM
            assertThat(scheduler.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            scheduler.process.destroyForcibly();
        }
        assertThat(scheduler.process.exitValue()).as(scheduler.output()).isZero();
        // A stopped scheduler does not look alive, and the probe says so.
        assertThat(alive).doesNotExist();
        assertThat(probe(alive)).isNotZero();
        Files.createFile(alive);
        Files.setLastModifiedTime(alive, FileTime.from(Instant.now().minusSeconds(120)));
        assertThat(probe(alive)).isNotZero();
    }

    /**
     * The heartbeat runs on the scheduler's own task scheduler: when that executor's threads are stuck, the
     * file ages. (In process, with Spring Batch's in-memory ResourcelessJobRepository as the repository.)
     */
    @Test
    void theFileGoesStaleWhenTheSchedulersThreadIsStuck() throws Exception {
        Path alive = tmp.resolve("alive-in-process");
        ThreadPoolTaskScheduler taskScheduler = new ThreadPoolTaskScheduler();
        taskScheduler.setPoolSize(1);
        taskScheduler.initialize();
        CountDownLatch release = new CountDownLatch(1);
        try {
            new Liveness(alive, new ResourcelessJobRepository(), () -> true, List.of())
                    .start(taskScheduler, Duration.ofMillis(200));
            awaitFresh(null, alive);
            taskScheduler.execute(() -> {
                try {
                    release.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(STALE.toMillis() + 1000);
            assertThat(age(alive)).isGreaterThan(STALE);
            release.countDown();
            awaitFresh(null, alive);
        }
        finally {
            release.countDown();
            taskScheduler.shutdown();
        }
    }

    private static void awaitFresh(ChildLauncher scheduler, Path alive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(alive) || age(alive).compareTo(Duration.ofSeconds(2)) >= 0) {
            assertThat(System.nanoTime()).as(scheduler == null ? "" : scheduler.output()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static void awaitStale(ChildLauncher scheduler, Path alive) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (age(alive).compareTo(STALE) <= 0) {
            assertThat(System.nanoTime()).as(scheduler.output()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static Duration age(Path file) throws IOException {
        return Duration.between(Files.getLastModifiedTime(file).toInstant(), Instant.now());
    }

    private static int probe(Path alive) throws Exception {
        return new ProcessBuilder("sh", "-c", PROBE, alive.toString()).start().waitFor();
    }

    private static void signal(String signal, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor()).isZero();
    }
}
