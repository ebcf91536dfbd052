package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code message-group-replay source=file} with one partition per file on local threads, against dynalite:
 * records of every group spread over several files replayed at once end in the group rows of the newest
 * messages; the summary and the rejects file are those of the whole replay; a restart runs only the files
 * that did not complete and ends as a straight run does. The failure is injected by {@link AwsProxy}
 * (a protocol-level stand-in in front of dynalite: dynalite cannot be told to refuse one group's requests).
 */
class ReplayPartitionedTest {

    private static final String BAD_LINE = "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":";

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @TempDir
    Path dir;

    @Test
    void filesReplayedAtOnceEndInTheNewestMessageOfEveryGroupWithOneRejectsFile() throws Exception {
        Conversations c = Conversations.generate(21, 12, 8);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        // Every group's messages dealt over four files, shuffled: a group's newest message may come in any file,
        // read by any thread, before or after its older ones.
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
            lines.add(Conversations.streamRecord("MODIFY", m.toItem(), ++sequence));
        }
        lines.add(Conversations.streamRecord("REMOVE", c.groups.get(0).newest().toItem(), ++sequence));
        Collections.shuffle(lines, new Random(8));
        Path folder = Files.createDirectories(dir.resolve("records"));
        List<List<String>> files = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < lines.size(); i++) {
            files.get(i % 4).add(lines.get(i));
        }
        files.get(1).add(3, BAD_LINE);
        files.get(3).add(7, BAD_LINE);
        for (int f = 0; f < 4; f++) {
            Files.writeString(folder.resolve("part-" + f + ".jsonl"), String.join("\n", files.get(f)) + "\n");
        }
        Path rejects = dir.resolve("out/rejects.csv");

        Cli.Result result = new Cli().run("message-group-replay", "source=file", "file=" + folder, "table=" + table,
                "chunk-size=7", "concurrency=2", "threads=4", "rejects=" + rejects);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        // One line per partition, all four files.
        assertThat(result.lines().stream().filter(l -> l.matches("\\s+step replay-file:file-0000[0-3] +COMPLETED.*")))
                .hasSize(4);
        // The summary is over all files: 24 group rows moved at least once, nothing left behind.
        assertThat(result.out()).contains("ignored: 1 REMOVE, 0 GRP# records, 0 other keys",
                "rejected 2 (see " + rejects + ")", "rejected: 2 record(s) rejected");
        // One rejects file: one header, each bad line once, named by its file and line.
        List<String> rejected = Files.readAllLines(rejects);
        assertThat(rejected).hasSize(3).first().isEqualTo(RejectsFile.HEADER);
        assertThat(rejected.get(1)).startsWith("\"" + folder.resolve("part-1.jsonl") + "\",4,\"malformed JSON")
                .endsWith(",\"" + BAD_LINE.replace("\"", "\"\"") + "\"");
        assertThat(rejected.get(2)).startsWith("\"" + folder.resolve("part-3.jsonl") + "\",8,\"malformed JSON");
        assertThat(Files.exists(Path.of(rejects + ".parts"))).as("parts removed once the replay completed").isFalse();
    }

    @Test
    void aRestartRunsOnlyTheFileThatFailedAndEndsAsAStraightRun() throws Exception {
        Conversations c = Conversations.generate(22, 9, 5);
        Path folder = Files.createDirectories(dir.resolve("records"));
        long sequence = 0;
        // Three files of three groups each, a group's records in one file; chunk-size=5 makes each group one
        // chunk. The last group of the last file is the one that fails, after two committed chunks of its file.
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            for (int g = 3 * f; g < 3 * f + 3; g++) {
                List<MessageRow> messages = c.groups.get(g).messages();
                for (int m = 0; m < messages.size(); m++) {
                    lines.add(Conversations.streamRecord("INSERT", messages.get(m).toItem(), ++sequence));
                    if (m == 1 && g == 3 * f + 1 && f != 1) {
                        lines.add(BAD_LINE);
                    }
                }
                if (g == 3 * f + 1 && f != 1) {
                    // A rejected line takes a place in its chunk: with 4 ignored records the group after it starts
                    // a chunk of its own again.
                    for (int r = 0; r < 4; r++) {
                        lines.add(Conversations.streamRecord("REMOVE", c.groups.get(g).messages().get(r).toItem(),
                                ++sequence));
                    }
                }
            }
            Files.writeString(folder.resolve("f" + f + ".jsonl"), String.join("\n", lines) + "\n");
        }
        String failing = c.groups.get(8).uuid().toString();

        String straightTable = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, straightTable, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        Path straightRejects = dir.resolve("straight.csv");
        Cli.Result straight = new Cli().run(replay(folder, straightTable, straightRejects));
        assertThat(straight.exitCode()).as(straight.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);

        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        Path rejects = dir.resolve("rejects.csv");
        Cli.Result restarted;
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            proxy.fault((operation, body) -> body.contains(failing)
                    ? AwsProxy.Response.error(400, "ValidationException", "injected: refused for this group") : null);
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());

            Cli.Result failed = cli.run(replay(folder, table, rejects));

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).contains("reason: injected: refused for this group");
            assertThat(failed.out()).containsPattern("step replay-file:file-00002 +FAILED");
            // What the failed run did is in the rejects file already: both bad lines (file 0 completed, file 2
            // committed the chunks around its bad line).
            assertThat(Files.readAllLines(rejects)).hasSize(3);
            assertThat(Path.of(rejects + ".parts")).as("kept for the restart").isDirectory();

            proxy.fault((operation, body) -> null);
            restarted = cli.run(replay(folder, table, rejects));

            // As the straight run: the rejected lines were met by the first run, and are still counted.
            assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
            assertThat(restarted.err()).contains("restarting instance");
            // Only the failed file ran again, from its last commit: the 5 records of the failing group.
            assertThat(restarted.lines().stream().filter(l -> l.contains("step replay-file:"))).singleElement()
                    .satisfies(line -> assertThat(line).contains("replay-file:file-00002", "COMPLETED", "read 5,"));
            assertThat(query(cli, "select s.step_name from batch_step_execution s join batch_job_execution j "
                    + "on s.job_execution_id = j.job_execution_id where j.status = 'COMPLETED' and s.step_name like "
                    + "'replay-file:%'")).containsExactly("replay-file:file-00002");
        }
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows())
                .isEqualTo(Conversations.groupRows(dynamoDb, straightTable));
        // The summary totals all files, also those the first run completed, as the straight run's does.
        assertThat(summary(restarted)).hasSize(4).isEqualTo(summary(straight).stream()
                .map(line -> line.replace(straightRejects.toString(), rejects.toString())).toList());
        assertThat(Files.readString(rejects)).isEqualTo(Files.readString(straightRejects).replace(
                straightRejects.toString(), rejects.toString()));
        assertThat(Files.exists(Path.of(rejects + ".parts"))).isFalse();
    }

    @Test
    void skipLimitAppliesToTheRejectsOfAllFilesTogether() throws Exception {
        Conversations c = Conversations.generate(23, 4, 3);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        Path folder = Files.createDirectories(dir.resolve("records"));
        long sequence = 0;
        for (int f = 0; f < 2; f++) {
            List<String> lines = new ArrayList<>(List.of(BAD_LINE, BAD_LINE));
            for (int g = 2 * f; g < 2 * f + 2; g++) {
                for (MessageRow m : c.groups.get(g).messages()) {
                    lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
                }
            }
            Files.writeString(folder.resolve("f" + f + ".jsonl"), String.join("\n", lines) + "\n");
        }
        Path rejects = dir.resolve("rejects.csv");
        Cli cli = new Cli();

        // 2 rejected records per file: each file is within skip-limit=3, the replay is not.
        Cli.Result over = cli.run("message-group-replay", "source=file", "file=" + folder, "table=" + table,
                "rejects=" + rejects, "skip-limit=3");

        assertThat(over.exitCode()).as(over.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(over.out()).contains("reason: 4 records rejected over all partitions, more than skip-limit=3; "
                + "the records are in " + rejects);
        assertThat(Files.readAllLines(rejects)).hasSize(5);

        Cli.Result raised = cli.run("message-group-replay", "source=file", "file=" + folder, "table=" + table,
                "rejects=" + rejects, "skip-limit=4");

        assertThat(raised.exitCode()).as(raised.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(raised.err()).contains("restarting instance");
        assertThat(raised.out()).as("no file is read again").doesNotContain("step replay-file:")
                .contains("rejected 4 (see " + rejects + ")");
        assertThat(Files.readAllLines(rejects)).hasSize(5);
        assertThat(Files.exists(Path.of(rejects + ".parts"))).isFalse();
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    /** Three files of three groups (group 8 fails when injected), two bad lines: as in the restart test above. */
    private Path threeFiles(Conversations c) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("records"));
        long sequence = 0;
        for (int f = 0; f < 3; f++) {
            List<String> lines = new ArrayList<>();
            for (int g = 3 * f; g < 3 * f + 3; g++) {
                List<MessageRow> messages = c.groups.get(g).messages();
                for (int m = 0; m < messages.size(); m++) {
                    lines.add(Conversations.streamRecord("INSERT", messages.get(m).toItem(), ++sequence));
                    if (m == 1 && g == 3 * f + 1 && f != 1) {
                        lines.add(BAD_LINE);
                    }
                }
            }
            Files.writeString(folder.resolve("f" + f + ".jsonl"), String.join("\n", lines) + "\n");
        }
        return folder;
    }

    private String tableAtStart(Conversations c) {
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        return table;
    }

    /** Runs the replay with group 8 refused: file-00000 completes with its reject, file-00002 fails. */
    private static void failOnGroup8(Cli cli, Conversations c, Path folder, String table, Path rejects)
            throws Exception {
        String failing = c.groups.get(8).uuid().toString();
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            proxy.fault((operation, body) -> body.contains(failing)
                    ? AwsProxy.Response.error(400, "ValidationException", "injected: refused for this group") : null);
            Cli.Result failed = new Cli().jdbcUrl(cli.property("spring.datasource.url"))
                    .property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString()).run(replay(folder, table, rejects));
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).containsPattern("step replay-file:file-00000 +COMPLETED");
        }
    }

    @Test
    void anotherReplayWithTheSameRejectsLeavesTheFailedOnesPartsAlone() throws Exception {
        Conversations c = Conversations.generate(24, 9, 5);
        Path folder = threeFiles(c);
        Path straightRejects = dir.resolve("straight.csv");
        Cli.Result straight = new Cli().run(replay(folder, tableAtStart(c), straightRejects));
        assertThat(straight.exitCode()).as(straight.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        Path rejects = dir.resolve("shared.csv");
        String failedTable = tableAtStart(c);
        Cli cli = new Cli();
        failOnGroup8(cli, c, folder, failedTable, rejects);

        // Another instance (another table) with the same rejects=, run to the end while the first is failed.
        Cli.Result other = cli.run(replay(folder, tableAtStart(c), rejects));
        assertThat(other.exitCode()).as(other.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        Cli.Result restarted = cli.run(replay(folder, failedTable, rejects));

        assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(restarted.err()).contains("restarting instance");
        assertThat(restarted.out()).contains("rejected 2 (see " + rejects + ")");
        assertThat(Files.readString(rejects)).isEqualTo(Files.readString(straightRejects));
        assertThat(Conversations.groupRows(dynamoDb, failedTable)).isEqualTo(c.expectedGroupRows());
        assertThat(Path.of(rejects + ".parts")).doesNotExist();
    }

    @Test
    void aRestartGivenAnotherRejectsJoinsEveryPartitionsRecordsThere() throws Exception {
        Conversations c = Conversations.generate(25, 9, 5);
        Path folder = threeFiles(c);
        Path straightRejects = dir.resolve("straight.csv");
        Cli.Result straight = new Cli().run(replay(folder, tableAtStart(c), straightRejects));
        assertThat(straight.exitCode()).as(straight.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        Path first = dir.resolve("first.csv");
        String table = tableAtStart(c);
        Cli cli = new Cli();
        failOnGroup8(cli, c, folder, table, first);

        Path moved = dir.resolve("elsewhere/moved.csv");
        Cli.Result restarted = cli.run(replay(folder, table, moved));

        assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(restarted.err()).contains("restarting instance");
        assertThat(restarted.out()).contains("rejected 2 (see " + moved + ")");
        assertThat(Files.readString(moved)).isEqualTo(Files.readString(straightRejects));
        assertThat(Path.of(first + ".parts")).as("the first run's parts, joined, removed").doesNotExist();
        assertThat(Path.of(moved + ".parts")).doesNotExist();
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    @Test
    void aReplayThatCannotListItsPartitionsLeavesAnEarlierRejectsFileAndPrintsNoTotals() throws Exception {
        String table = Conversations.createTable(dynamoDb);
        Path rejects = dir.resolve("rejects.csv");
        String earlier = RejectsFile.HEADER + "\n\"stream\",,\"an earlier run's reason\",\"{}\"\n";
        Files.writeString(rejects, earlier);

        // The table has no stream: the partitions cannot be listed.
        Cli.Result result = new Cli().run("message-group-replay", "source=stream", "table=" + table,
                "rejects=" + rejects);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("has no stream").doesNotContain("group updates 0", "rejected 0");
        assertThat(Files.readString(rejects)).isEqualTo(earlier);
    }

    /** The four summary lines of a run. */
    private static List<String> summary(Cli.Result result) {
        return result.lines().stream().filter(l -> l.startsWith("group updates") || l.startsWith("ignored:")
                || l.startsWith("groups missing rows") || l.startsWith("rejected ")).toList();
    }

    private static String[] replay(Path folder, String table, Path rejects) {
        return new String[] { "message-group-replay", "source=file", "file=" + folder, "table=" + table,
            "chunk-size=5", "concurrency=1", "threads=3", "rejects=" + rejects };
    }

    private static List<String> query(Cli cli, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
