package com.cruddur.batch.launch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.stereotype.Component;

/**
 * Locks in the job repository's database: one per job name, so that two scheduler processes sharing a
 * PostgreSQL job repository never start the same job at once, and one per job instance
 * ({@link #instanceKey}), taken by every launch, restart, recover and abandon, so that two processes
 * can never both create executions of one instance. The lock is a row lock
 * ({@code SELECT ... FOR UPDATE NOWAIT}) held by an open transaction for the length of the run: the
 * database decides who wins, without a check-then-act window, and a killed process cannot leave a
 * stale lock behind because its connection, and with it the lock, goes away.
 */
@Component
public class JobLock {

    static final String TABLE = "cruddur_batch_lock";
    /** Separates the instance keys from the job-name keys of the scheduler in the one table. */
    private static final String INSTANCE_SEPARATOR = "#";
    private static final DefaultJobKeyGenerator KEYS = new DefaultJobKeyGenerator();

    private final DataSource dataSource;
    private volatile boolean tableReady;

    public JobLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing it releases the lock. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The key of the lock of every instance launched with these parameters: the job name and Spring
     * Batch's key of the identifying parameters without {@code run.id}, so that the re-runs of one
     * parameter set (run.id 1, 2, ...) share it, and two launches deciding at once which run.id to use
     * cannot both go ahead.
     */
    public static String instanceKey(String jobName, JobParameters parameters) {
        JobParametersBuilder identifying = new JobParametersBuilder();
        parameters.parameters().stream()
                .filter(p -> p.identifying() && !p.name().equals(JobRunner.RUN_ID))
                .forEach(identifying::addJobParameter);
        return jobName + INSTANCE_SEPARATOR + KEYS.generateKey(identifying.toJobParameters());
    }

    /**
     * Whether a live process holds the lock. A process that died holds nothing: the database dropped its
     * lock with its connection. (Takes the lock for an instant when it is free.)
     */
    public boolean isHeld(String key) throws SQLException {
        Optional<Held> held = tryAcquire(key);
        held.ifPresent(Held::close);
        return held.isEmpty();
    }

    /** The lock for {@code key} (a job name or an {@link #instanceKey}), or empty when another process (or thread) holds it. */
    public Optional<Held> tryAcquire(String key) throws SQLException {
        ensureTable();
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into " + TABLE + " (job_name) values (?)")) {
                insert.setString(1, key);
                insert.executeUpdate();
            }
            catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
            }
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(
                    "select job_name from " + TABLE + " where job_name = ? for update nowait")) {
                select.setString(1, key);
                select.executeQuery().close();
            }
            catch (SQLException e) {
                if (isLockBusy(e)) {
                    release(connection);
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(() -> release(connection));
        }
        catch (SQLException | RuntimeException e) {
            release(connection);
            throw e;
        }
    }

    /** Creates the lock table when missing; the scheduler calls it at start so a missing privilege shows at once. */
    void ensureTable() throws SQLException {
        if (tableReady) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists " + TABLE + " (job_name varchar(100) primary key)");
        }
        catch (SQLException e) {
            // Two processes creating it at once: PostgreSQL's IF NOT EXISTS is not atomic (23505/42P07).
            if (!isDuplicateKey(e) && !"42P07".equals(e.getSQLState())) {
                throw e;
            }
        }
        tableReady = true;
    }

    private static void release(Connection connection) {
        try (connection) {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
        catch (SQLException e) {
            // The connection is gone, and the lock with it.
        }
    }

    /** 23505: unique violation (PostgreSQL and H2). */
    private static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** PostgreSQL 55P03 lock_not_available; H2 HYT00 lock timeout. */
    private static boolean isLockBusy(SQLException e) {
        String state = e.getSQLState();
        return "55P03".equals(state) || "HYT00".equals(state) || "40001".equals(state);
    }
}
