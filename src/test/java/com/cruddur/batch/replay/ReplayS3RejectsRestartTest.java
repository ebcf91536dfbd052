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
 * {@code rejects=s3://bucket/key} and {@code kill -9}: a replay of two files in a child JVM (the real
 * launcher), one partition each, run one after the other ({@code threads=1}, so that one object is put at a
 * time, in an order Spring Batch does not fix), puts its rejects parts to the real s3rver through
 * {@link AwsProxy}, which kills the child (SIGKILL) at the second put of the second partition's part and then
 * puts that body into s3rver ({@link KillAtPut}): the first partition has completed, and S3 holds the second's
 * records of a chunk that was never committed. The restart runs the second partition only, which must take
 * back its own part's committed bytes; the joined object must then hold every rejected record exactly once,
 * as a run without the kill, and the parts must be gone.
 */
class ReplayS3RejectsRestartTest {

    private static final String BUCKET = "replay-rejects-" + System.nanoTime();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @TempDir
    Path dir;

    @Test
    void aReplayKilledRightAfterPuttingAPartsRejectsRestartsToAnObjectWithEveryRejectedRecordOnce() throws Exception {
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
        int half = lines.size() / 2;
        Path first = Files.writeString(dir.resolve("records-1.jsonl"), String.join("\n", lines.subList(0, half)) + "\n");
        Path second = Files.writeString(dir.resolve("records-2.jsonl"),
                String.join("\n", lines.subList(half, lines.size())) + "\n");
        String files = "file=" + first + "," + second;
        String killedTable = tableAtStart(c);
        String straightTable = tableAtStart(c);
        String killedKey = "killed-" + System.nanoTime() + ".csv";
        String straightKey = "straight-" + System.nanoTime() + ".csv";
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            String[] args = { "message-group-replay", "source=file", files, "table=" + killedTable, "chunk-size=30",
                    "concurrency=1", "threads=1", "skip-limit=1000", "rejects=s3://" + BUCKET + "/" + killedKey };

            // Partitions put only their parts while they run; the join puts rejects= once both have ended.
            KillAtPut kill = new KillAtPut(s3, keys -> keys.stream().distinct().count() == 2
                    && Collections.frequency(keys, keys.get(keys.size() - 1)) == 2);
            s3.fault(kill);
            ChildLauncher launched = ChildLauncher.start(cli, args);
            kill.child(launched.process);
            try {
                assertThat(kill.await(120)).as("child killed at the second put of the second part: %s",
                        launched.output()).isTrue();
            }
            finally {
                launched.process.destroyForcibly();
            }
            String childLog = launched.output();
            List<String> parts = kill.keys().stream().distinct().toList();
            assertThat(parts).as(childLog).containsExactlyInAnyOrder(killedKey + ".parts/1/file-00000.csv",
                    killedKey + ".parts/1/file-00001.csv");
            String completedPart = parts.get(0);
            String killedPart = parts.get(1);
            KillAtPut.removeTempFiles("message-group-replay-rejects-", dir.toString());
            s3.fault((operation, body) -> null);
            // The first partition to run completed; the second put of the other's part holds the records of two
            // chunks, of which one was committed. Nothing is joined yet.
            assertThat(rows(completedPart)).as("completed part").isNotEmpty();
            assertThat(rows(killedPart)).as("part put by the killed partition").isNotEmpty();
            assertThat(keys(killedKey)).as("objects of the killed run").containsExactlyInAnyOrderElementsOf(parts);

            Cli.Result restarted = cli.run(args);
            Cli.Result straight = cli.run("message-group-replay", "source=file", files, "table=" + straightTable,
                    "chunk-size=30", "concurrency=1", "threads=1", "skip-limit=1000",
                    "rejects=s3://" + BUCKET + "/" + straightKey);

            assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(restarted.err()).contains("restarting instance");
            // Only the partition that had not completed runs again; the first one's part comes from the killed run.
            assertThat(restarted.out()).as(restarted.toString()).contains("step replay-file:" + partition(killedPart))
                    .doesNotContain("step replay-file:" + partition(completedPart));
            assertThat(straight.exitCode()).as(straight.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(restarted.out()).contains("rejected " + bad + " (see s3://" + BUCKET + "/" + killedKey + ")");
            assertThat(content(killedKey)).startsWith(RejectsFile.HEADER + "\n");
            assertThat(rows(killedKey)).hasSize(bad).doesNotHaveDuplicates().isEqualTo(rows(straightKey));
            assertThat(keys(killedKey)).as("parts removed once the replay completed").containsExactly(killedKey);
            assertThat(keys(straightKey)).as("parts removed once the replay completed").containsExactly(straightKey);
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

    /** The partition whose part is {@code key}: {@code file-00001} of {@code k.csv.parts/1/file-00001.csv}. */
    private static String partition(String key) {
        return key.substring(key.lastIndexOf('/') + 1, key.length() - ".csv".length());
    }

    /** The keys of the bucket that start with {@code prefix}. */
    private static List<String> keys(String prefix) {
        return AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    /** The records of a rejects object, its header left out. */
    private static List<String> rows(String key) {
        return content(key).lines().skip(1).toList();
    }
}
