package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * message-group-replay's group rows where the index lags, where two groups of one owner share an instant,
 * and its counters across a failed chunk. The real command line against dynalite; where dynalite cannot
 * show AWS's behaviour (a GSI that answers with rows already replaced, a request failing mid-run) an
 * {@link AwsProxy} in front of it answers those requests at the protocol level, and the test says so.
 */
class ReplayGroupRowsTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final AwsProxy proxy = new AwsProxy(Emulators.dynalite());

    @TempDir
    Path dir;

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void aGroupInConsecutiveChunksEndsWithOneRowPerOwnerWhileTheIndexLags() throws Exception {
        Conversations c = Conversations.generate(21, 1, 3);
        Conversations.Group g = c.groups.get(0);
        String table = Conversations.createTable(dynamoDb);
        List<GroupRow> first = c.groupRowsAt(0);
        Conversations.putAll(dynamoDb, table, first.stream().map(GroupRow::toItem).toList());
        // Protocol-level stub: every GSI query answers with the rows as they were before the replay, as an
        // index that has not caught up with the moves of the previous chunks does on AWS.
        String stale = "{\"Count\":2,\"ScannedCount\":2,\"Items\":[" + String.join(",",
                first.stream().map(r -> Conversations.attributes(r.toItem())).toList()) + "]}";
        proxy.fault((operation, body) -> operation.equals("Query") && body.contains("\"IndexName\"")
                ? new AwsProxy.Response(200, stale) : null);
        Path file = Files.writeString(dir.resolve("records.jsonl"),
                Conversations.streamRecord("INSERT", g.messages().get(1).toItem(), 1) + "\n"
                        + Conversations.streamRecord("INSERT", g.messages().get(2).toItem(), 2) + "\n");
        try {
            Cli.Result run = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString())
                    .run("message-group-replay", "source=file", "file=" + file, "table=" + table, "chunk-size=1",
                            "rejects=" + dir.resolve("rejects.txt"));
            assertThat(run.exitCode()).as(run.toString()).isZero();
        }
        finally {
            proxy.fault((operation, body) -> null);
        }

        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    @Test
    void twoGroupsOfOneOwnerMovingToTheSameInstantAreBothKept() throws Exception {
        String table = Conversations.createTable(dynamoDb);
        UUID lena = UUID.randomUUID();
        UUID groupA = UUID.fromString("1a000000-0000-4000-8000-000000000000");
        UUID groupB = UUID.fromString("2b000000-0000-4000-8000-000000000000");
        UUID marco = UUID.randomUUID();
        UUID yuki = UUID.randomUUID();
        String older = "2026-11-20T08:00:00.000000+00:00";
        String t = "2026-11-20T08:10:00.000000+00:00";
        Conversations.putAll(dynamoDb, table, List.of(
                new GroupRow(lena, older, groupA, "first", marco, "Marco", "marco").toItem(),
                new GroupRow(marco, older, groupA, "first", lena, "Lena", "lena").toItem(),
                new GroupRow(lena, "2026-11-20T08:01:00.000000+00:00", groupB, "first", yuki, "Yuki", "yuki").toItem(),
                new GroupRow(yuki, "2026-11-20T08:01:00.000000+00:00", groupB, "first", lena, "Lena", "lena").toItem()));
        // Newest first in the file, so that the group with the greater uuid takes the key first.
        Path file = Files.writeString(dir.resolve("records.jsonl"), Conversations.streamRecord("INSERT",
                new MessageRow(groupB, t, UUID.randomUUID(), "to yuki", lena, "Lena", "lena").toItem(), 1) + "\n"
                + Conversations.streamRecord("INSERT",
                        new MessageRow(groupA, t, UUID.randomUUID(), "to marco", lena, "Lena", "lena").toItem(), 2)
                + "\n");

        Cli.Result run = new Cli().run("message-group-replay", "source=file", "file=" + file, "table=" + table,
                "chunk-size=1", "rejects=" + dir.resolve("rejects.txt"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String tPlus1 = "2026-11-20T08:10:00.000001+00:00";
        assertThat(rows(table, lena)).containsExactly(groupA + "@" + t + " to marco", groupB + "@" + tPlus1 + " to yuki");
        assertThat(rows(table, marco)).containsExactly(groupA + "@" + t + " to marco");
        assertThat(rows(table, yuki)).containsExactly(groupB + "@" + t + " to yuki");
        assertThat(run.out()).contains("key collisions 1 (rows placed 1 microsecond later)",
                "group " + groupB + ": key GRP#" + lena + " " + t + " is kept by group " + groupA + "; row placed at "
                        + tPlus1);
    }

    @Test
    void aRestartAfterAFailedChunkEndsWithTheCountersOfAStraightRun() throws Exception {
        Conversations c = Conversations.generate(31, 4, 3);
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (Conversations.Group g : c.groups) {
            lines.add(Conversations.streamRecord("REMOVE", g.messages().get(0).toItem(), ++sequence));
            lines.add(Conversations.streamRecord("INSERT", g.newest().toItem(), ++sequence));
        }
        Path file = Files.writeString(dir.resolve("records.jsonl"), String.join("\n", lines) + "\n");
        String straightTable = Conversations.createTable(dynamoDb);
        String failedTable = Conversations.createTable(dynamoDb);
        for (String table : List.of(straightTable, failedTable)) {
            Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        }

        Cli.Result straight = new Cli().run(args(straightTable, file));
        assertThat(straight.exitCode()).as(straight.toString()).isZero();

        // Protocol-level stub: the first PutItem of the second chunk (group 2, whose REMOVE and INSERT are the
        // chunk) fails with a non-retryable error, so that chunk fails before it wrote anything.
        AtomicInteger puts = new AtomicInteger();
        proxy.fault((operation, body) -> operation.equals("PutItem") && puts.incrementAndGet() == 3
                ? AwsProxy.Response.error(400, "ValidationException", "injected") : null);
        Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString());
        Cli.Result failed;
        try {
            failed = cli.run(args(failedTable, file));
        }
        finally {
            proxy.fault((operation, body) -> null);
        }
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);

        Cli.Result restarted = cli.run(args(failedTable, file));

        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(restarted.out()).contains("group updates 4: rows moved forward 8", "ignored: 4 REMOVE");
        assertThat(counterLines(restarted)).isEqualTo(counterLines(straight));
        assertThat(Conversations.groupRows(dynamoDb, failedTable)).isEqualTo(c.expectedGroupRows());
    }

    private String[] args(String table, Path file) {
        return new String[] { "message-group-replay", "source=file", "file=" + file, "table=" + table,
                "chunk-size=2", "concurrency=1", "rejects=" + dir.resolve("rejects-" + table + ".txt") };
    }

    private static List<String> counterLines(Cli.Result result) {
        return result.lines().stream().filter(l -> l.startsWith("group updates ") || l.startsWith("ignored: ")
                || l.startsWith("groups missing rows ") || l.startsWith("rejected ")).toList();
    }

    /** The owner's group rows as {@code group@sk message}, in sk order. */
    private static List<String> rows(String table, UUID owner) {
        return dynamoDb.queryPaginator(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner)))))
                .items().stream().map(GroupRow::fromItem)
                .map(r -> r.messageGroupUuid() + "@" + r.sk() + " " + r.message()).toList();
    }
}
