package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.KillAtPut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code rejects=s3://bucket/key} and {@code kill -9}: a replay in a child JVM (the real launcher) writes its
 * rejects to the real s3rver through {@link AwsProxy}, which kills the child (SIGKILL) at the third put of
 * the rejects and then puts that body into s3rver ({@link KillAtPut}): S3 holds the records of a chunk
 * that was never committed.
 * The restart must leave the object with every rejected record exactly once, as a run without the kill.
 */
class ReplayS3RejectsRestartTest {

    private static final String BUCKET = "replay-rejects-" + System.nanoTime();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @TempDir
    Path dir;

    @Test
    void aReplayKilledRightAfterPuttingItsRejectsRestartsToAnObjectWithEveryRejectedRecordOnce() throws Exception {
        Conversations c = Conversations.generate(77, 120, 15);
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        Collections.shuffle(lines, new Random(5));
        int bad = 0;
        for (int i = 7; i < lines.size(); i += 25) {
            lines.add(i, "{\"private note " + i + "\"");
            bad++;
        }
        Path file = Files.writeString(dir.resolve("records.jsonl"), String.join("\n", lines) + "\n");
        String killedTable = tableAtStart(c);
        String straightTable = tableAtStart(c);
        String killedKey = "killed-" + System.nanoTime() + ".csv";
        String straightKey = "straight-" + System.nanoTime() + ".csv";
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            String[] args = { "message-group-replay", "source=file", "file=" + file, "table=" + killedTable,
                    "chunk-size=30", "concurrency=1", "skip-limit=1000", "rejects=s3://" + BUCKET + "/" + killedKey };

            KillAtPut kill = new KillAtPut(s3, 3);
            s3.fault(kill);
            ChildLauncher launched = ChildLauncher.start(cli, args);
            kill.child(launched.process);
            try {
                assertThat(kill.await(120)).as("child killed at put 3: %s", launched.output()).isTrue();
            }
            finally {
                launched.process.destroyForcibly();
            }
            String childLog = launched.output();
            assertThat(kill.puts()).as(childLog).isEqualTo(3);
            KillAtPut.removeTempFiles("message-group-replay-rejects-", file.toString());
            s3.fault((operation, body) -> null);
            // The third put holds the records of three chunks, of which two were committed.
            assertThat(rows(killedKey)).as("records put by the killed run").isNotEmpty();

            Cli.Result restarted = cli.run(args);
            Cli.Result straight = cli.run("message-group-replay", "source=file", "file=" + file,
                    "table=" + straightTable, "chunk-size=30", "concurrency=1", "skip-limit=1000",
                    "rejects=s3://" + BUCKET + "/" + straightKey);

            assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(restarted.err()).contains("restarting instance");
            assertThat(straight.exitCode()).as(straight.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(content(killedKey)).startsWith(RejectsFile.HEADER + "\n");
            assertThat(rows(killedKey)).hasSize(bad).doesNotHaveDuplicates().isEqualTo(rows(straightKey));
            assertThat(Conversations.groupRows(dynamoDb, killedTable)).isEqualTo(c.expectedGroupRows());
            for (String log : List.of(childLog, restarted.out(), restarted.err(), straight.out(), straight.err())) {
                assertThat(log).as("record contents in a log").doesNotContain("private note");
            }
        }
    }

    private String tableAtStart(Conversations c) {
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        return table;
    }

    private static String content(String key) {
        return AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String();
    }

    /** The records of a rejects object, its header left out. */
    private static List<String> rows(String key) {
        return content(key).lines().skip(1).toList();
    }
}
