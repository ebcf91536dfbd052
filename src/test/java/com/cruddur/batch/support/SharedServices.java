package com.cruddur.batch.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The servers remote partitioning shares between processes, as they run on this machine at
 * 127.0.0.1 (scripts/test.sh starts them when they are down): RabbitMQ (guest/guest) and PostgreSQL
 * (user postgres, trust). A test gets its own database and its own queue names. When the machine's
 * PostgreSQL is not reachable, the embedded one ({@link Postgres}) serves, as every JVM of the test can
 * reach it too.
 */
public final class SharedServices {

    public static final String HOST = "127.0.0.1";
    public static final int RABBIT_PORT = 5672;
    public static final int POSTGRES_PORT = 5432;

    private SharedServices() {
    }

    public static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    /** A fresh, empty database; its JDBC URL (user postgres, no password). */
    public static String newDatabase(String prefix) {
        if (!reachable(POSTGRES_PORT)) {
            return Postgres.newDatabase(prefix);
        }
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replace('-', '_');
        String base = "jdbc:postgresql://" + HOST + ":" + POSTGRES_PORT + "/";
        try (Connection connection = DriverManager.getConnection(base + "postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (SQLException e) {
            throw new IllegalStateException("could not create a database on " + base + ": " + e.getMessage(), e);
        }
        return base + name + "?user=postgres";
    }

    /** A connection to this machine's RabbitMQ, for the test's own checks and messages. */
    public static CachingConnectionFactory rabbit() {
        if (!reachable(RABBIT_PORT)) {
            throw new IllegalStateException("RabbitMQ is not running at " + HOST + ":" + RABBIT_PORT
                    + " (scripts/test.sh starts it: rabbitmq-server -detached)");
        }
        CachingConnectionFactory factory = new CachingConnectionFactory(HOST, RABBIT_PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    public static String queueName(String prefix) {
        return "test-" + prefix + "-" + UUID.randomUUID();
    }

    /** Waits until the child's output satisfies {@code condition}; fails naming {@code what}. */
    public static String awaitOutput(ChildLauncher child, Duration timeout, String what, Predicate<String> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = Files.readString(child.output, StandardCharsets.UTF_8);
            if (condition.test(output)) {
                return output;
            }
            if (!child.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("child never " + what + " (alive: " + child.process.isAlive() + "):\n" + output);
            }
            Thread.sleep(100);
        }
    }
}
