package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code message-group-replay source=file} through the real command line, against dynalite. */
class ReplayFileJobTest {

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private final Cli cli = new Cli();

    @TempDir
    Path dir;

    @Test
    void shuffledRecordsFromEveryFileFormatBringGroupRowsUpToDateAndBadLinesAreRejected() throws Exception {
        Conversations c = Conversations.generate(11, 6, 5);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());

        // Groups 0-1: JSON lines of stream records, shuffled and duplicated, with bad lines between.
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (int g = 0; g < 2; g++) {
            for (MessageRow m : c.groups.get(g).messages()) {
                lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
                lines.add(Conversations.streamRecord("MODIFY", m.toItem(), ++sequence));
            }
            lines.add(Conversations.streamRecord("REMOVE", c.groups.get(g).newest().toItem(), ++sequence));
        }
        lines.add(Conversations.streamRecord("INSERT", c.groupRowsAt(0).get(0).toItem(), ++sequence));
        Collections.shuffle(lines, new Random(3));
        lines.add(2, "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":");
        lines.add(5, "{\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"message\":{\"S\":\"hi\"}}}}");
        Map<String, AttributeValue> badTime = new LinkedHashMap<>(c.groups.get(0).newest().toItem());
        badTime.put("sk", AttributeValue.fromS("yesterday"));
        lines.add(8, Conversations.streamRecord("INSERT", badTime, ++sequence));
        Path jsonLines = Files.writeString(dir.resolve("a-records.jsonl"), String.join("\n", lines) + "\n");

        // Groups 2-3: a gzip Lambda event, pretty-printed over several lines, newest first.
        List<String> event = new ArrayList<>();
        for (int g = 2; g < 4; g++) {
            for (MessageRow m : c.groups.get(g).messages()) {
                event.add(0, Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
            }
        }
        gzip(dir.resolve("b-event.json.gz"), "{\n  \"Records\": [\n    " + String.join(",\n    ", event) + "\n  ]\n}\n");

        // Groups 4-5: an incremental export data file (gzip, as AWS writes it).
        List<String> export = new ArrayList<>();
        for (int g = 4; g < 6; g++) {
            List<MessageRow> messages = c.groups.get(g).messages();
            for (int i = messages.size() - 1; i >= 0; i--) {
                export.add(Conversations.exportLine(messages.get(i).toItem(), i % 2 == 1));
            }
        }
        gzip(dir.resolve("c-export.json.gz"), String.join("\n", export) + "\n");

        Path rejects = dir.resolve("rejects.txt");
        Cli.Result result = cli.run("message-group-replay", "source=file", "file=" + dir.resolve("a-records.jsonl")
                + "," + dir.resolve("b-event.json.gz") + "," + dir.resolve("c-export.json.gz"), "table=" + table,
                "rejects=" + rejects, "chunk-size=7");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.COMPLETED_WITH_REJECTS);
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        int records = lines.size() + event.size() + export.size();
        assertThat(result.out()).contains("read " + (records - 2) + ", written ", "skipped 3",
                "ignored: 2 REMOVE, 1 GRP# records", "leftover rows deleted 0", "groups missing rows 0", "rejected 3 (see " + rejects + ")",
                "message-group-replay COMPLETED");
        assertThat(Files.readAllLines(rejects)).satisfiesExactly(
                line -> assertThat(line).isEqualTo(RejectsFile.HEADER),
                line -> assertThat(line).startsWith("\"" + jsonLines + "\",3,\"malformed JSON"),
                line -> assertThat(line).startsWith("\"" + jsonLines + "\",6,\"record without keys"),
                line -> assertThat(line).startsWith("\"" + jsonLines + "\",9,\"sk 'yesterday' is not a timestamp"));
    }

    @Test
    void aTruncatedGzipFileFailsNamingTheFile() throws Exception {
        String table = Conversations.createTable(dynamoDb);
        Path whole = dir.resolve("whole.jsonl.gz");
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            records.append("{\"n\":").append(i * 7919L % 100_003).append("}\n"); // compresses poorly enough
        }
        gzip(whole, records.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        Cli.Result result = cli.run("message-group-replay", "source=file", "file=" + cut, "table=" + table,
                "rejects=" + dir.resolve("rejects.txt"), "skip-limit=20000");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("reason: " + cut + ": not a whole gzip file (");
    }

    @Test
    void pastTheSkipLimitTheJobFails() throws Exception {
        String table = Conversations.createTable(dynamoDb);
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "secretword json\n{}\n[1]\n");
        Path rejects = dir.resolve("rejects.txt");

        Cli.Result result = cli.run("message-group-replay", "source=file", "file=" + file, "table=" + table,
                "rejects=" + rejects, "skip-limit=2");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("message-group-replay FAILED", "reason: ");
        assertThat(Files.readAllLines(rejects)).hasSize(3).element(1).asString()
                .startsWith("\"" + file + "\",1,\"malformed JSON at column 1\",\"secretword json\"");
        // The line's text is in the rejects record only: never in the reason, the summary or a log.
        assertThat(result.out() + result.err()).doesNotContain("secretword");
    }

    @Test
    void aNonLocalEndpointIsRefusedWithoutAllowProd() {
        // Refused by the validator before any request is sent, so the endpoint need not exist.
        Cli remote = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", "https://dynamodb.us-east-1.amazonaws.com");

        Cli.Result refused = remote.run("message-group-replay", "source=file", "file=" + dir.resolve("x.jsonl"),
                "table=cruddur-messages");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err().strip()).isEqualTo("error: message-group-replay: refusing to write group rows into "
                + "cruddur-messages at https://dynamodb.us-east-1.amazonaws.com, which is not local; "
                + "add allow-prod=true if you really mean it");
    }

    @Test
    void aMissingFileIsAClearError() {
        Cli.Result result = cli.run("message-group-replay", "source=file", "file=" + dir.resolve("nope.jsonl"));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("reason: file=" + dir.resolve("nope.jsonl") + ": no such readable file");
    }

    private static void gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
