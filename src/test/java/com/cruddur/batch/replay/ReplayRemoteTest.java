package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.DynamoDbStreamsStub;
import com.cruddur.batch.support.SharedServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code message-group-replay partitioning=remote}: the manager is an in-process launch, the partitions run in
 * two worker JVMs ({@code worker}), on this machine's RabbitMQ and a fresh PostgreSQL database as the shared
 * job repository (a queue and a database of the test's own). The stream is the protocol-level
 * {@link DynamoDbStreamsStub} (dynalite has no Streams API), reached by the workers over HTTP.
 */
class ReplayRemoteTest {

    private static final Pattern RAN = Pattern.compile("running (replay-(?:file|lineage):\\S+) of message-group-replay");
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/replay/stream/2026-12-02T00:00:00.000";

    static CachingConnectionFactory rabbit;
    static RabbitAdmin admin;
    static final List<String> queues = new ArrayList<>();

    final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    final List<ChildLauncher> workers = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        rabbit = SharedServices.rabbit();
        admin = new RabbitAdmin(rabbit);
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

    private static Cli cli(String queue) {
        queues.add(queue);
        return new Cli().jdbcUrl(SharedServices.newDatabase("remote_replay"))
                .property("spring.datasource.username", "postgres")
                .property("spring.rabbitmq.host", SharedServices.HOST)
                .property("spring.rabbitmq.port", String.valueOf(SharedServices.RABBIT_PORT))
                .property("cruddur.partitioning.queue", queue)
                .property("cruddur.partitioning.poll-interval", "200ms")
                .property("cruddur.partitioning.timeout", "120s");
    }

    private List<ChildLauncher> twoWorkers(Cli cli) throws Exception {
        // Started together, awaited together: JVM start-up is most of their time.
        List<ChildLauncher> started = List.of(ChildLauncher.start(cli, "worker"), ChildLauncher.start(cli, "worker"));
        workers.addAll(started);
        for (ChildLauncher worker : started) {
            SharedServices.awaitOutput(worker, Duration.ofSeconds(120), "started consuming",
                    out -> out.contains("worker: waiting for partition requests"));
        }
        return started;
    }

    @Test
    void twoWorkersReplayFilesAndAStreamAndEveryGroupEndsAtItsNewestMessage() throws Exception {
        Conversations c = Conversations.generate(41, 16, 6);
        Cli cli = cli(SharedServices.queueName("replay"));
        try (DynamoDbStreamsStub stub = new DynamoDbStreamsStub(ARN)) {
            cli.property("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", stub.endpoint().toString());
            List<ChildLauncher> both = twoWorkers(cli);

            // source=file: every group's records dealt over four files, shuffled, two bad lines.
            String table = Conversations.createTable(dynamoDb);
            Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
            List<String> lines = new ArrayList<>();
            long sequence = 0;
            for (MessageRow m : c.allMessages()) {
                lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
            }
            Collections.shuffle(lines, new Random(41));
            Path folder = Files.createDirectories(dir.resolve("records"));
            for (int f = 0; f < 4; f++) {
                List<String> part = new ArrayList<>();
                for (int i = f; i < lines.size(); i += 4) {
                    part.add(lines.get(i));
                }
                if (f % 2 == 1) {
                    part.add(2, "{\"eventName\":");
                }
                Files.writeString(folder.resolve(f + ".jsonl"), String.join("\n", part) + "\n");
            }
            Path rejects = dir.resolve("rejects.csv");

            Cli.Result files = cli.run("message-group-replay", "source=file", "file=" + folder, "table=" + table,
                    "chunk-size=4", "rejects=" + rejects, "partitioning=remote");

            assertThat(files.exitCode()).as(files.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            // Every group row is at its group's newest message, and there is no other group row.
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            assertThat(files.out()).contains("group updates", "rejected 2 (see " + rejects + ")");
            assertThat(Files.readAllLines(rejects)).hasSize(3).first().isEqualTo(RejectsFile.HEADER);
            List<String> ran = ran(both);
            assertThat(ran).containsExactlyInAnyOrder("replay-file:file-00000", "replay-file:file-00001",
                    "replay-file:file-00002", "replay-file:file-00003");
            assertThat(ran(both.get(0))).as("files replayed by each worker").isNotEmpty();
            assertThat(ran(both.get(1))).as("files replayed by each worker").isNotEmpty();

            // source=stream: a lineage split in two, and two more roots; parents before children on any worker.
            String streamTable = Conversations.createTable(dynamoDb);
            Conversations.putAll(dynamoDb, streamTable, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
            stub.shard("root-a", null).shard("root-b", null).shard("root-c", null).shard("a-1", "root-a")
                    .shard("a-2", "root-a").closeShard("root-a").closeShard("root-b").closeShard("root-c");
            for (int m = 0; m < 6; m++) {
                for (int g = 0; g < 16; g++) {
                    String shard = g % 3 == 1 ? "root-b" : g % 3 == 2 ? "root-c" : m < 3 ? "root-a" : g % 2 == 0 ? "a-1" : "a-2";
                    stub.add(shard, Conversations.streamRecord("MODIFY", c.groups.get(g).messages().get(m).toItem(),
                            ++sequence));
                }
            }

            Cli.Result stream = cli.run("message-group-replay", "source=stream", "stream-arn=" + ARN,
                    "table=" + streamTable, "chunk-size=5", "partitioning=remote");

            assertThat(stream.exitCode()).as(stream.toString()).isZero();
            assertThat(Conversations.groupRows(dynamoDb, streamTable)).isEqualTo(c.expectedGroupRows());
            assertThat(ran(both)).contains("replay-lineage:root-a", "replay-lineage:root-b", "replay-lineage:root-c")
                    .hasSize(7);
            List<String> lineageA = stub.calls().stream().filter(call -> call.startsWith("GetShardIterator")
                    && (call.contains("root-a") || call.contains(" a-"))).toList();
            assertThat(lineageA).hasSize(3).first().isEqualTo("GetShardIterator root-a TRIM_HORIZON");

            // repair=true on a database without the users table: the job makes it once, not each worker's partition
            // at the same moment (which fails on PostgreSQL for all but one). The real PostgreSQL holds the creating
            // transaction open for a second, so that two creators would collide every time. Each group's records
            // are in one file here.
            holdUsersTableCreation(cli);
            String repairTable = Conversations.createTable(dynamoDb);
            Conversations.putAll(dynamoDb, repairTable, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
            Path byGroup = Files.createDirectories(dir.resolve("by-group"));
            for (int f = 0; f < 4; f++) {
                List<String> part = new ArrayList<>();
                for (int g = f; g < c.groups.size(); g += 4) {
                    for (MessageRow m : c.groups.get(g).messages()) {
                        part.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
                    }
                }
                Files.writeString(byGroup.resolve(f + ".jsonl"), String.join("\n", part) + "\n");
            }

            Cli.Result repaired = cli.run("message-group-replay", "source=file", "file=" + byGroup,
                    "table=" + repairTable, "rejects=" + dir.resolve("repair-rejects.csv"), "partitioning=remote",
                    "repair=true");

            assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
            assertThat(Conversations.groupRows(dynamoDb, repairTable)).isEqualTo(c.expectedGroupRows());
        }
    }

    /** An event trigger that keeps the transaction creating public.users open for a second before it commits. */
    private static void holdUsersTableCreation(Cli cli) throws Exception {
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"))) {
            connection.createStatement().execute("""
                    CREATE FUNCTION slow_users_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() WHERE object_identity = 'public.users')
                      THEN PERFORM pg_sleep(1); END IF;
                    END $$""");
            connection.createStatement().execute("CREATE EVENT TRIGGER slow_users_ddl ON ddl_command_end "
                    + "WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION slow_users_ddl()");
        }
    }

    @Test
    void remoteIsRefusedOnTheEmbeddedH2RepositoryAndForTheTableSource() throws Exception {
        Path file = Files.writeString(dir.resolve("records.jsonl"), "\n");
        Cli h2 = new Cli().property("cruddur.partitioning.queue", "never-used");

        Cli.Result onH2 = h2.run("message-group-replay", "source=file", "file=" + file, "partitioning=remote");

        assertThat(onH2.exitCode()).as(onH2.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(onH2.err().lines().toList()).singleElement().asString()
                .startsWith("error: partitioning=remote: remote partitioning needs a job repository").contains("H2");

        Cli.Result table = cli(SharedServices.queueName("table")).run("message-group-replay", "source=table",
                "table=" + Conversations.createTable(dynamoDb), "partitioning=remote");

        assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(table.err().lines().toList()).singleElement().asString().contains(
                "partitioning=remote: source=table runs in one step, it is not partitioned");
    }

    private static List<String> ran(List<ChildLauncher> workers) throws Exception {
        List<String> ran = new ArrayList<>();
        for (ChildLauncher worker : workers) {
            ran.addAll(ran(worker));
        }
        return ran;
    }

    private static List<String> ran(ChildLauncher worker) throws Exception {
        List<String> ran = new ArrayList<>();
        Matcher m = RAN.matcher(worker.output());
        while (m.find()) {
            ran.add(m.group(1));
        }
        return ran;
    }
}
