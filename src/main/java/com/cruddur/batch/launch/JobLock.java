package com.cruddur.batch.launch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * One lock per job name in the job repository's database, so that two scheduler processes sharing a
 * PostgreSQL job repository never start the same job at once. The lock is a row lock
 * ({@code SELECT ... FOR UPDATE NOWAIT}) held by an open transaction for the length of the run: the
 * database decides who wins, without a check-then-act window, and a killed process cannot leave a
 * stale lock behind because its connection, and with it the lock, goes away.
 */
@Component
public class JobLock {

    static final String TABLE = "cruddur_batch_lock";

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

    /** The lock for {@code jobName}, or empty when another process (or thread) holds it. */
    public Optional<Held> tryAcquire(String jobName) throws SQLException {
        ensureTable();
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into " + TABLE + " (job_name) values (?)")) {
                insert.setString(1, jobName);
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
                select.setString(1, jobName);
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
