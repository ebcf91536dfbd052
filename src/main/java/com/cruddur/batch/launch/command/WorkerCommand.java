package com.cruddur.batch.launch.command;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import javax.sql.DataSource;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.GracefulShutdown;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.RunSummary;
import com.cruddur.batch.launch.RunningJobs;
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import com.cruddur.batch.partition.RemoteWorker;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code worker}: runs partitions of remote-partitioned jobs ({@code partitioning=remote}) sent over
 * RabbitMQ until SIGTERM, which stops the partitions in hand at their next commit (STOPPED,
 * restartable). Also what a launch with {@code partitioning=remote} adds ({@link #sources},
 * {@link #checkLaunch}): the RabbitMQ side of the manager, and the refusal of a job repository other
 * processes cannot share.
 */
public final class WorkerCommand implements Command {

    /** Every job (their worker steps are found by name) and the worker's consumers. */
    private static final Class<?>[] SOURCES = { CruddurBatchApplication.class, RemoteWorker.class };

    @Override
    public int run(Invocation invocation) {
        if (!invocation.args().isEmpty()) {
            throw new UsageException("worker: takes no arguments; it runs the partitions that launches "
                    + "with partitioning=remote send (" + RemotePartitioning.PREFIX + ".*, spring.rabbitmq.*)");
        }
        return invocation.inContext(SOURCES, context -> work(context, invocation.console()));
    }

    /** A launch's sources, plus the manager's RabbitMQ side when it partitions remotely. */
    static Class<?>[] sources(Class<?>[] launch, Map<String, String> given) {
        if (!Partitioning.isRemote(given.get(Partitioning.PARAMETER))) {
            return launch;
        }
        Class<?>[] sources = Arrays.copyOf(launch, launch.length + 1);
        sources[launch.length] = RemotePartitioning.class;
        return sources;
    }

    /** Before a launch: remote partitioning on a repository the workers cannot share is a usage error. */
    static void checkLaunch(ConfigurableApplicationContext context, Map<String, String> given) {
        if (Partitioning.isRemote(given.get(Partitioning.PARAMETER))) {
            checkSharedRepository(context, Partitioning.PARAMETER + "=remote");
        }
    }

    static void checkSharedRepository(ConfigurableApplicationContext context, String what) {
        String problem = RemotePartitioning.sharedRepositoryProblem(context.getBean(DataSource.class));
        if (problem != null) {
            throw new UsageException(what + ": " + problem);
        }
    }

    private static int work(ConfigurableApplicationContext context, Console console) throws Exception {
        checkSharedRepository(context, "worker");
        RemoteWorker worker = context.getBean(RemoteWorker.class);
        try (Connection connection = context.getBean("partitionConnectionFactory", ConnectionFactory.class)
                .createConnection()) {
            // Fails fast (exit 4) when RabbitMQ is not there, rather than retrying in the background.
        }
        catch (RuntimeException e) {
            console.err().println("error: worker: could not connect to RabbitMQ (spring.rabbitmq.*): "
                    + RunSummary.oneLine(e));
            return ExitCodes.NOT_STARTED;
        }
        RunningJobs runningJobs = context.getBean(RunningJobs.class);
        worker.start();
        console.println("worker: waiting for partition requests on " + worker.queue() + " (" + worker.concurrency()
                + " at once)");
        while (!runningJobs.isShuttingDown()) {
            Thread.sleep(200);
        }
        Duration timeout = GracefulShutdown.timeout(context.getEnvironment());
        if (!worker.stop(timeout)) {
            console.err().println("worker: partitions did not stop within " + timeout.toSeconds() + "s; they stay "
                    + "STARTED until the manager times out");
            return ExitCodes.FAILED;
        }
        console.println("worker stopped");
        return ExitCodes.COMPLETED;
    }
}
