package com.cruddur.batch.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.cruddur.batch.launch.CruddurBatch;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.SharedServices;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * table-export with local threads, with one remote worker and with two, side by side in one run, on
 * demand (not a test). One dynalite, one PostgreSQL job repository (this machine's) for all three, the
 * machine's RabbitMQ. Phase 1 starts one worker JVM and alternates local and remote rounds; phase 2
 * starts a second worker and alternates local and remote again. A warm-up round of each is not
 * counted. The figure compared is the partitioned step's time from the job repository ("export":
 * requests sent to every partition ended, as the manager saw it by polling); the whole launch adds the
 * same start-up, check and manifest to all three. Run through scripts/remote-benchmark.sh.
 * <p>
 * Arguments (key=value): items (200000), rounds (3), segments (8), threads (4, local), worker-concurrency
 * (partitions per worker at once; default threads, so one worker has the parallelism of the local run),
 * poll (200ms, the manager's poll interval).
 */
public final class RemotePartitioningBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int items = Integer.parseInt(options.getOrDefault("items", "200000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int segments = Integer.parseInt(options.getOrDefault("segments", "8"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
        String poll = options.getOrDefault("poll", "200ms");
        int concurrency = Integer.parseInt(options.getOrDefault("worker-concurrency", String.valueOf(threads)));

        DynamoDbClient dynamoDb = AwsClients.dynamoDb();
        String table = TestTables.create(dynamoDb, "remote-bench");
        long start = System.nanoTime();
        ExportBenchmark.load(dynamoDb, table, items);
        System.out.printf(Locale.ROOT, "loaded %d items into %s in %.1f s; %d cores%n", items, table, seconds(start),
                Runtime.getRuntime().availableProcessors());
        String jdbcUrl = SharedServices.newDatabase("remote_bench");
        String queue = SharedServices.queueName("bench");
        Cli cli = new Cli().jdbcUrl(jdbcUrl).property("spring.datasource.username", "postgres")
                .property("spring.rabbitmq.host", SharedServices.HOST)
                .property("cruddur.partitioning.queue", queue).property("cruddur.partitioning.poll-interval", poll)
                .property("cruddur.partitioning.worker-concurrency", String.valueOf(concurrency));
        Path work = Files.createTempDirectory("remote-bench");
        List<Process> workers = new ArrayList<>();
        Map<String, List<Double>> step = new HashMap<>();
        Map<String, List<Double>> wall = new HashMap<>();
        try {
            for (int phase = 1; phase <= 2; phase++) {
                workers.add(startWorker(cli, work.resolve("worker-" + phase + ".log")));
                String remote = "remote, " + phase + " worker" + (phase == 1 ? "" : "s") + " x " + concurrency;
                String local = "local, " + threads + " threads";
                for (int round = 0; round <= rounds; round++) {
                    // Round 0 warms up both (JIT in the manager and the workers, dynalite); not counted.
                    boolean localFirst = round % 2 == 0;
                    for (String kind : localFirst ? List.of(local, remote) : List.of(remote, local)) {
                        Path dir = work.resolve(phase + "-" + round + "-" + (kind == local ? "local" : "remote"));
                        List<String> launch = new ArrayList<>(List.of("table-export", "table=" + table, "dir=" + dir,
                                "segments=" + segments, "threads=" + threads));
                        if (kind == remote) {
                            launch.add("partitioning=remote");
                        }
                        long t = System.nanoTime();
                        Cli.Result result = cli.run(launch.toArray(String[]::new));
                        double w = seconds(t);
                        if (result.exitCode() != 0) {
                            throw new IllegalStateException(kind + " failed: " + result);
                        }
                        double s = stepSeconds(jdbcUrl);
                        System.out.printf(Locale.ROOT, "%s %-26s scan step %6.2f s, launch %6.2f s%n",
                                round == 0 ? "warm-up " : "round " + round + " ", kind, s, w);
                        if (round > 0) {
                            step.computeIfAbsent(kind, k -> new ArrayList<>()).add(s);
                            wall.computeIfAbsent(kind, k -> new ArrayList<>()).add(w);
                        }
                    }
                }
            }
        }
        finally {
            workers.forEach(Process::destroy);
            var rabbit = SharedServices.rabbit();
            var admin = new org.springframework.amqp.rabbit.core.RabbitAdmin(rabbit);
            admin.deleteQueue(queue);
            admin.deleteQueue(queue + ".dead");
            rabbit.destroy();
        }
        System.out.printf(Locale.ROOT, "%n%d items, %d segments; medians of %d rounds%n", items, segments, rounds);
        for (String kind : step.keySet().stream().sorted().toList()) {
            double s = median(step.get(kind));
            System.out.printf(Locale.ROOT, "  %-26s scan step %6.2f s (%,.0f items/s), whole launch %6.2f s%n", kind, s,
                    items / s, median(wall.get(kind)));
        }
        System.exit(0);
    }

    /** A worker JVM as production runs it (no C1-only flag, unlike the tests' short-lived children). */
    private static Process startWorker(Cli cli, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), CruddurBatch.class.getName()));
        command.addAll(cli.arguments("worker"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (!Files.readString(log).contains("worker: waiting for partition requests")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("worker did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return process;
    }

    private static double stepSeconds(String jdbcUrl) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                ResultSet rs = connection.createStatement().executeQuery("select start_time, end_time from"
                        + " batch_step_execution where step_name = 'export' order by step_execution_id desc limit 1")) {
            rs.next();
            return Duration.between(rs.getObject(1, LocalDateTime.class), rs.getObject(2, LocalDateTime.class))
                    .toNanos() / 1e9;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
