package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.SharedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * table-export and table-import with {@code partitioning=remote}: the manager is an in-process launch (or
 * {@code restart <id>}, or a {@code schedule} JVM), the workers are separate JVMs running {@code worker}, all on this machine's RabbitMQ and one fresh PostgreSQL database
 * as the shared job repository (each test has its own database and queue).
 */
class RemoteTableExportTest {

    private static final Pattern RUNNING = Pattern.compile("running (export-segment:segment-\\d+) of table-export");

    static CachingConnectionFactory rabbit;
    static RabbitAdmin admin;
    static DynamoDbClient dynamoDb;
    static String table;
    static List<Map<String, AttributeValue>> tableItems;
    static final List<String> queues = new ArrayList<>();

    final List<ChildLauncher> workers = new ArrayList<>();
    /** A database of each test's own: the repository queries below read this test's runs only. */
    String jdbcUrl;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() {
        rabbit = SharedServices.rabbit();
        admin = new RabbitAdmin(rabbit);
        dynamoDb = AwsClients.dynamoDb();
        table = TestTables.create(dynamoDb, "remote-export");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            items.addAll(TestTables.conversation("r" + c, 40, 200));
        }
        TestTables.put(dynamoDb, table, items);
        tableItems = TestTables.scanAll(dynamoDb, table);
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(w -> w.process.destroyForcibly());
    }

    @AfterAll
    static void deleteQueues() {
        for (String queue : queues) {
            admin.deleteQueue(queue);
            admin.deleteQueue(queue + ".dead");
        }
        rabbit.destroy();
    }

    private Cli cli(String queue, Duration timeout) {
        queues.add(queue);
        if (jdbcUrl == null) {
            jdbcUrl = SharedServices.newDatabase("remote_export");
        }
        return new Cli().jdbcUrl(jdbcUrl).property("spring.datasource.username", "postgres")
                .property("spring.rabbitmq.host", SharedServices.HOST)
                .property("spring.rabbitmq.port", String.valueOf(SharedServices.RABBIT_PORT))
                .property("cruddur.partitioning.queue", queue)
                .property("cruddur.partitioning.poll-interval", "200ms")
                .property("cruddur.partitioning.timeout", timeout.toSeconds() + "s");
    }

    private ChildLauncher startWorker(Cli cli) throws Exception {
        ChildLauncher worker = ChildLauncher.start(cli, "worker");
        workers.add(worker);
        SharedServices.awaitOutput(worker, Duration.ofSeconds(120), "started consuming",
                out -> out.contains("worker: waiting for partition requests"));
        return worker;
    }

    private String[] export(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("table-export", "table=" + table, "dir=" + dir, "segments=4",
                "page-size=10", "chunk-size=10"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void twoWorkersExportEveryItemExactlyOnceAndTheSameFilesAsLocalThreads() throws Exception {
        Cli cli = cli(SharedServices.queueName("two"), Duration.ofSeconds(120));
        ChildLauncher a = startWorker(cli);
        ChildLauncher b = startWorker(cli);
        Path dir = tmp.resolve("remote");

        Cli.Result remote = cli.run(export(dir, "partitioning=remote"));

        assertThat(remote.exitCode()).as(remote.toString()).isZero();
        List<Map<String, AttributeValue>> exported = TestTables.exportedItems(dir);
        assertThat(exported).hasSize(tableItems.size());
        assertThat(TestTables.canonical(exported)).containsExactlyElementsOf(TestTables.canonical(tableItems));
        ExportManifest manifest = ExportManifest.readFrom(dir.resolve("manifest.json"));
        assertThat(manifest.itemCount()).isEqualTo(tableItems.size());
        assertThat(manifest.files()).hasSize(4);
        // Both workers took part; each segment ran once, on one of them.
        List<String> ranByA = ran(a.output());
        List<String> ranByB = ran(b.output());
        assertThat(ranByA).isNotEmpty();
        assertThat(ranByB).isNotEmpty();
        List<String> all = new ArrayList<>(ranByA);
        all.addAll(ranByB);
        assertThat(all).containsExactlyInAnyOrder("export-segment:segment-0000", "export-segment:segment-0001",
                "export-segment:segment-0002", "export-segment:segment-0003");

        // The same export with local threads, and RabbitMQ unreachable: a local launch never needs it.
        Path local = tmp.resolve("local");
        Cli.Result threads = cli.property("spring.rabbitmq.port", "1").run(export(local));
        assertThat(threads.exitCode()).as(threads.toString()).isZero();
        assertSameExport(local, dir);

        // SIGTERM with nothing in hand: the worker ends at once, exit 0.
        a.process.destroy();
        assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(a.process.exitValue()).as(a.output()).isZero();
        assertThat(a.output()).contains("worker stopped");
    }

    @Test
    void twoWorkersImportEveryFile() throws Exception {
        Path dir = tmp.resolve("export");
        Cli.Result exported = new Cli().run(export(dir));
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        String target = TestTables.create(dynamoDb, "remote-import");
        Cli cli = cli(SharedServices.queueName("import"), Duration.ofSeconds(120));
        ChildLauncher a = startWorker(cli);
        ChildLauncher b = startWorker(cli);

        Cli.Result imported = cli.run("table-import", "table=" + target, "dir=" + dir, "chunk-size=25",
                "partitioning=remote");

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        List<Map<String, AttributeValue>> items = TestTables.scanAll(dynamoDb, target);
        assertThat(TestTables.canonical(items)).containsExactlyElementsOf(TestTables.canonical(tableItems));
        Pattern file = Pattern.compile("running (import-file:\\S+) of table-import");
        List<String> ran = new ArrayList<>();
        for (ChildLauncher worker : List.of(a, b)) {
            Matcher m = file.matcher(worker.output());
            int before = ran.size();
            while (m.find()) {
                ran.add(m.group(1));
            }
            assertThat(ran.size()).as("files imported by a worker").isGreaterThan(before);
        }
        assertThat(ran).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void workerKilledMidPartitionFailsTheRunAndRestartOfItEndsWithTheUninterruptedExport() throws Exception {
        Path whole = tmp.resolve("whole");
        Cli.Result uninterrupted = new Cli().run(export(whole));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();

        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            // Slow Scan pages (nothing else changes), so that the kill lands inside a partition.
            proxy.fault((operation, body) -> {
                if (operation.equals("Scan")) {
                    sleep(100);
                }
                return null;
            });
            // The timeout leaves room for b to run the other partitions on a loaded machine.
            Cli cli = cli(SharedServices.queueName("kill"), Duration.ofSeconds(90))
                    .property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            ChildLauncher a = startWorker(cli);
            ChildLauncher b = startWorker(cli);
            Path dir = tmp.resolve("remote");
            String[] args = export(dir, "partitioning=remote");
            CompletableFuture<Cli.Result> manager = CompletableFuture.supplyAsync(() -> cli.run(args));

            // Worker a is inside a partition: it has committed two chunks of it and not finished it.
            String output = SharedServices.awaitOutput(a, Duration.ofSeconds(90), "ran a partition", out -> RUNNING.matcher(out).find());
            Matcher running = RUNNING.matcher(output);
            assertThat(running.find()).isTrue();
            String partition = running.group(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (commits(partition) < 2) {
                assertThat(System.nanoTime()).as("partition never committed").isLessThan(deadline);
                Thread.sleep(20);
            }
            a.process.destroyForcibly().waitFor();
            assertThat(status(partition)).isEqualTo("STARTED");

            Cli.Result failed = manager.get(240, TimeUnit.SECONDS);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.out()).contains("reason: timeout: not every partition ended within cruddur.partitioning.timeout", partition + " STARTED");
            assertThat(Files.exists(dir.resolve("manifest.json"))).isFalse();
            assertThat(status(partition)).as("given up by the manager").isEqualTo("FAILED");
            // b ran every other partition (also the one a had prefetched when it died), never a's.
            List<String> ranBefore = new ArrayList<>(ran(a.output()));
            ranBefore.addAll(ran(b.output()));
            assertThat(ranBefore).hasSize(4).doesNotHaveDuplicates();
            assertThat(ran(b.output())).doesNotContain(partition);

            // restart <id> (not the command line again): it connects to RabbitMQ as the launch did, from
            // the same properties, and sends the unfinished partition to the same queue.
            Matcher execution = Pattern.compile("table-export FAILED in \\S+ \\(execution (\\d+),").matcher(failed.out());
            assertThat(execution.find()).as(failed.out()).isTrue();
            Cli.Result restarted = cli.run("restart", execution.group(1));

            assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
            assertThat(restarted.err()).contains("restarting execution " + execution.group(1) + " (FAILED)");
            // Only the partition that never finished ran again, on b.
            assertThat(ran(b.output())).containsOnlyOnce(partition);
            assertSameExport(whole, dir);
        }
    }

    /** Also the worker that starts after the manager: every request of the run waits in the queue until then. */
    @Test
    void aScheduledRemoteRunCompletesOnAWorkerStartedAfterItsRequestsWereSent() throws Exception {
        String queue = SharedServices.queueName("schedule");
        Cli cli = cli(queue, Duration.ofSeconds(150));
        Path runs = tmp.resolve("scheduled");
        List<String> entry = new ArrayList<>();
        entry.add("--cruddur.scheduler.schedules[0].job=table-export");
        entry.add("--cruddur.scheduler.schedules[0].cron=*/5 * * * * *");
        List<String> parameters = new ArrayList<>(List.of(export(runs.resolve("{scheduled.time}"), "partitioning=remote")));
        parameters.remove(0);
        for (String parameter : parameters) {
            entry.add("--cruddur.scheduler.schedules[0].parameters." + parameter);
        }
        ChildLauncher scheduler = ChildLauncher.start(cli, entry, "schedule");
        workers.add(scheduler);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (messages(queue) < 4) {
            assertThat(System.nanoTime()).as("four requests waiting:\n%s", scheduler.output()).isLessThan(deadline);
            assertThat(scheduler.process.isAlive()).as(scheduler.output()).isTrue();
            Thread.sleep(200);
        }
        ChildLauncher worker = startWorker(cli);

        String output = SharedServices.awaitOutput(scheduler, Duration.ofSeconds(180), "completed a run",
                out -> out.contains("table-export COMPLETED") || out.contains("table-export FAILED"));
        scheduler.process.destroy();
        assertThat(scheduler.process.waitFor(60, TimeUnit.SECONDS)).as(scheduler.output()).isTrue();

        assertThat(output).as(output).contains("table-export COMPLETED").doesNotContain("table-export FAILED");
        assertThat(scheduler.process.exitValue()).as(scheduler.output()).isZero();
        // The partitions ran on the worker, not on threads of the scheduler.
        assertThat(ran(worker.output())).contains("export-segment:segment-0000", "export-segment:segment-0001",
                "export-segment:segment-0002", "export-segment:segment-0003");
        Path first;
        try (var folders = Files.list(runs)) {
            first = folders.filter(f -> Files.exists(f.resolve("manifest.json"))).sorted().findFirst().orElseThrow();
        }
        List<Map<String, AttributeValue>> exported = TestTables.exportedItems(first);
        assertThat(TestTables.canonical(exported)).containsExactlyElementsOf(TestTables.canonical(tableItems));
        assertThat(ExportManifest.readFrom(first.resolve("manifest.json")).itemCount()).isEqualTo(tableItems.size());
    }

    @Test
    void sigtermStopsThePartitionInHandRestartably() throws Exception {
        Path whole = tmp.resolve("whole");
        Cli.Result uninterrupted = new Cli().run(export(whole));
        assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();

        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            proxy.fault((operation, body) -> {
                if (operation.equals("Scan")) {
                    sleep(100);
                }
                return null;
            });
            Cli cli = cli(SharedServices.queueName("term"), Duration.ofSeconds(120))
                    .property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
            ChildLauncher a = startWorker(cli);
            Path dir = tmp.resolve("remote");
            String[] args = export(dir, "partitioning=remote");
            CompletableFuture<Cli.Result> manager = CompletableFuture.supplyAsync(() -> cli.run(args));
            String output = SharedServices.awaitOutput(a, Duration.ofSeconds(90), "ran a partition", out -> RUNNING.matcher(out).find());
            Matcher running = RUNNING.matcher(output);
            assertThat(running.find()).isTrue();
            String partition = running.group(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (commits(partition) < 2) {
                assertThat(System.nanoTime()).as("partition never committed").isLessThan(deadline);
                Thread.sleep(20);
            }

            a.process.destroy();

            assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).as(a.output()).isTrue();
            assertThat(a.process.exitValue()).as(a.output()).isZero();
            assertThat(a.output()).contains("worker stopped");
            assertThat(status(partition)).isEqualTo("STOPPED");
            // The next worker runs the partitions still waiting; the stopped one makes the run STOPPED.
            ChildLauncher b = startWorker(cli);
            Cli.Result stopped = manager.get(150, TimeUnit.SECONDS);
            assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(3);
            assertThat(ran(b.output())).hasSize(3).doesNotContain(partition);

            Cli.Result relaunched = cli.run(args);

            assertThat(relaunched.exitCode()).as(relaunched.toString()).isZero();
            assertThat(ran(b.output())).hasSize(4).containsOnlyOnce(partition);
            assertSameExport(whole, dir);
        }
    }

    @Test
    void malformedRequestsAreDeadLetteredNotRedelivered() throws Exception {
        String queue = SharedServices.queueName("bad");
        Cli cli = cli(queue, Duration.ofSeconds(60));
        ChildLauncher worker = startWorker(cli);
        RabbitTemplate template = new RabbitTemplate(rabbit);
        template.convertAndSend(queue, "{not json");
        template.convertAndSend(queue, "{\"step\":\"export-segment\"}");
        MessageProperties serialized = new MessageProperties();
        serialized.setContentType(MessageProperties.CONTENT_TYPE_SERIALIZED_OBJECT);
        template.send(queue, new org.springframework.amqp.core.Message(new byte[] { (byte) 0xac, (byte) 0xed, 0, 5 },
                serialized));
        template.convertAndSend(queue, "{\"step\":\"export-segment\",\"stepExecutionId\":999999999}");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (messages(queue + ".dead") < 4) {
            assertThat(System.nanoTime()).as("dead-lettered: %d", messages(queue + ".dead")).isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(500);
        assertThat(messages(queue)).isZero();
        assertThat(messages(queue + ".dead")).isEqualTo(4);
        String output = worker.output();
        assertThat(output.lines().filter(l -> l.contains("rejected a message that is not a partition request")))
                .hasSize(3);
        assertThat(output).contains("rejected the request for step execution 999999999")
                .doesNotContain("not json");
        assertThat(worker.process.isAlive()).isTrue();
    }

    @Test
    void remoteIsRefusedOnTheEmbeddedH2Repository() throws Exception {
        Cli h2 = new Cli().property("cruddur.partitioning.queue", "never-used");

        Cli.Result launch = h2.run(export(tmp.resolve("h2"), "partitioning=remote"));
        Cli.Result worker = h2.run("worker");

        assertThat(launch.exitCode()).as(launch.toString()).isEqualTo(2);
        assertThat(launch.err().lines().toList()).hasSize(1);
        assertThat(launch.err()).startsWith("error: partitioning=remote: remote partitioning needs a job repository")
                .contains("H2");
        // The parameter takes any case; REMOTE is remote too, not local threads.
        Cli.Result upperCase = h2.run(export(tmp.resolve("h2"), "partitioning=REMOTE"));
        assertThat(upperCase.exitCode()).as(upperCase.toString()).isEqualTo(2);
        assertThat(upperCase.err()).isEqualTo(launch.err());
        assertThat(worker.exitCode()).as(worker.toString()).isEqualTo(2);
        assertThat(worker.err().lines().toList()).hasSize(1);
        Cli.Result schedule = h2.run("schedule", "--cruddur.scheduler.schedules[0].job=table-export",
                "--cruddur.scheduler.schedules[0].cron=@daily", "--cruddur.scheduler.schedules[0].parameters.table=" + table,
                "--cruddur.scheduler.schedules[0].parameters.dir=" + tmp.resolve("h2"),
                "--cruddur.scheduler.schedules[0].parameters.partitioning=Remote");
        assertThat(schedule.exitCode()).as(schedule.toString()).isEqualTo(2);
        assertThat(schedule.err().lines().toList()).hasSize(1);
        assertThat(schedule.err()).startsWith("error: cruddur.scheduler.schedules: partitioning=remote: remote "
                + "partitioning needs a job repository");
        assertThat(Files.exists(tmp.resolve("h2"))).isFalse();
    }

    /** Segments a worker ran, from its log. */
    private static List<String> ran(String output) {
        List<String> ran = new ArrayList<>();
        Matcher m = RUNNING.matcher(output);
        while (m.find()) {
            ran.add(m.group(1));
        }
        return ran;
    }

    private static void assertSameExport(Path expected, Path actual) throws Exception {
        for (int segment = 0; segment < 4; segment++) {
            String name = TableExportJobConfiguration.dataFile(segment, 4, "json", false);
            assertThat(Files.readString(actual.resolve(name), StandardCharsets.UTF_8)).as(name)
                    .isEqualTo(Files.readString(expected.resolve(name), StandardCharsets.UTF_8));
        }
        ExportManifest want = ExportManifest.readFrom(expected.resolve("manifest.json"));
        ExportManifest got = ExportManifest.readFrom(actual.resolve("manifest.json"));
        assertThat(got.files()).isEqualTo(want.files());
        assertThat(got.itemCount()).isEqualTo(want.itemCount());
    }

    private long commits(String partition) throws Exception {
        return query("select coalesce(max(commit_count), 0) from batch_step_execution where step_name = ?", partition,
                rs -> rs.getLong(1));
    }

    private String status(String partition) throws Exception {
        return query("select status from batch_step_execution where step_name = ? order by step_execution_id desc "
                + "limit 1", partition, rs -> rs.getString(1));
    }

    private interface Column<T> {
        T get(ResultSet rs) throws Exception;
    }

    private <T> T query(String sql, String partition, Column<T> column) throws Exception {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, partition);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? column.get(rs) : null;
            }
        }
    }

    private static long messages(String queue) {
        var info = admin.getQueueInfo(queue);
        return info == null ? -1 : info.getMessageCount();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
