package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code source=file} input a user could get wrong: a byte that is not UTF-8 (that line is rejected, never
 * stored as U+FFFD), a byte-order mark (accepted), and a file edited between a failed run and its restart
 * (refused: the restart resumes at a record count).
 */
class ReplayFileInputTest {

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private final Cli cli = new Cli();

    @TempDir
    Path dir;

    @Test
    void aLineThatIsNotUtf8IsRejectedByNumberAndABomIsAccepted() throws Exception {
        Conversations c = Conversations.generate(21, 3, 4);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        long sequence = 0;
        int line = 0;
        int badLine = 0;
        for (Conversations.Group group : c.groups) {
            for (MessageRow m : group.messages()) {
                line++;
                byte[] record = Conversations.streamRecord("INSERT", m.toItem(), ++sequence).getBytes(StandardCharsets.UTF_8);
                if (badLine == 0 && m != group.newest()) {
                    // An older message (the group rows do not depend on it), its text in Latin-1.
                    badLine = line;
                    record = new String(record, StandardCharsets.UTF_8).replace("message 0 of", "message 0 \u00e9 of")
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                bytes.writeBytes(record);
                bytes.write('\n');
            }
        }
        Path file = Files.write(dir.resolve("records.jsonl"), bytes.toByteArray());
        Path rejects = dir.resolve("rejects.csv");
        int rejectedLine = badLine;

        Cli.Result result = cli.run("message-group-replay", "source=file", "file=" + file, "table=" + table,
                "rejects=" + rejects);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows())
                .noneMatch(row -> row.contains("\uFFFD"));
        assertThat(Files.readAllLines(rejects)).satisfiesExactly(
                l -> assertThat(l).isEqualTo(RejectsFile.HEADER),
                l -> assertThat(l).startsWith("\"" + file + "\"," + rejectedLine + ",\"not valid UTF-8 (byte "));
    }

    @Test
    void aRestartOnAnEditedFileIsRefusedAndOnTheSameFileCompletesTheRun() throws Exception {
        Conversations c = Conversations.generate(22, 10, 8);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        lines.add(50, "not json");
        lines.add(52, "[1]");
        String original = String.join("\n", lines) + "\n";
        Path file = Files.writeString(dir.resolve("records.jsonl"), original);
        Path rejects = dir.resolve("rejects.csv");
        List<String> run = List.of("message-group-replay", "source=file", "file=" + file, "table=" + table,
                "rejects=" + rejects, "chunk-size=10");

        List<String> strict = new ArrayList<>(run);
        strict.add("skip-limit=1");
        Cli.Result failed = cli.run(strict.toArray(String[]::new));
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
        var afterFailure = Conversations.groupRows(dynamoDb, table);

        Files.writeString(file, lines.get(70) + "\n" + original);
        Cli.Result refused = cli.run(run.toArray(String[]::new));

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().lines()).as(refused.toString()).hasSize(1).first().asString()
                .startsWith("error: message-group-replay: refusing to restart: file=" + file + " changed since the run "
                        + "that failed started (");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(afterFailure);

        Files.writeString(file, original);
        Cli.Result resumed = cli.run(run.toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(resumed.err()).contains("restarting instance");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    @Test
    void anEditedFileRunsFromTheTopOnceTheFailedExecutionIsAbandonedAsTheRefusalSays() throws Exception {
        Conversations c = Conversations.generate(23, 6, 6);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        lines.add(20, "not json");
        lines.add(22, "[1]");
        Path file = Files.writeString(dir.resolve("records.jsonl"), String.join("\n", lines) + "\n");
        List<String> run = List.of("message-group-replay", "source=file", "file=" + file, "table=" + table,
                "rejects=" + dir.resolve("rejects.csv"), "chunk-size=5");
        List<String> strict = new ArrayList<>(run);
        strict.add("skip-limit=1");
        assertThat(cli.run(strict.toArray(String[]::new)).exitCode()).isEqualTo(ExitCodes.FAILED);

        // The user fixes the two bad lines, is refused, and does what the refusal says.
        lines.remove(22);
        lines.remove(20);
        Files.writeString(file, String.join("\n", lines) + "\n");
        Cli.Result refused = cli.run(run.toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        java.util.regex.Matcher abandon = java.util.regex.Pattern.compile("run 'abandon (\\d+)'").matcher(refused.err());
        assertThat(abandon.find()).as(refused.toString()).isTrue();
        assertThat(cli.run("abandon", abandon.group(1)).exitCode()).isZero();

        Cli.Result fresh = cli.run(run.toArray(String[]::new));

        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("read " + lines.size() + ", written");
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }
}
