package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.DynamoDbStreamsStub;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code message-group-replay source=stream}. The table is dynalite; the stream is a STUB
 * ({@link DynamoDbStreamsStub}) speaking the DynamoDB Streams JSON protocol to the real SDK client,
 * because dynalite has no Streams API. The stub's call log shows the shard order and where a restart
 * resumes.
 */
class ReplayStreamJobTest {

    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/replay/stream/2026-03-23T22:00:00.000";

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void walksShardsParentsFirstAndResumesFromItsCheckpoint() throws Exception {
        Conversations c = Conversations.generate(31, 4, 6);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());

        try (DynamoDbStreamsStub stub = new DynamoDbStreamsStub(ARN)) {
            // Listed children first, and paged two per DescribeStream: the reader must still read
            // shard-1, then shard-2, then shard-3. shard-0 is an unrelated closed root with REMOVEs.
            stub.shard("shard-3", "shard-2").shard("shard-2", "shard-1").shard("shard-0", null).shard("shard-1", null)
                    .closeShard("shard-2").closeShard("shard-1").closeShard("shard-0").recordsPerPage(3);
            long sequence = 100;
            for (Conversations.Group g : c.groups) {
                stub.add("shard-0", Conversations.streamRecord("REMOVE", g.messages().get(0).toItem(), ++sequence));
            }
            for (int m = 0; m < 5; m++) {
                String shard = m < 2 ? "shard-1" : m < 4 ? "shard-2" : "shard-3";
                for (Conversations.Group g : c.groups) {
                    stub.add(shard, Conversations.streamRecord(m % 2 == 0 ? "INSERT" : "MODIFY",
                            g.messages().get(m).toItem(), ++sequence));
                }
            }
            // The service fails on the second page of the open shard, after a chunk of it was committed.
            stub.failWhen(call -> call.startsWith("GetRecords shard-3 3"));
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", stub.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "1");
            String[] command = { "message-group-replay", "source=stream", "stream-arn=" + ARN, "table=" + table,
                    "chunk-size=2" };

            Cli.Result failed = cli.run(command);

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).contains("reason: stub: injected failure of GetRecords shard-3 3");
            // Two lineages, two partitions (run at once): shard-1 -> shard-2 -> shard-3 in that order, and shard-0,
            // which completes.
            assertThat(stub.calls().stream().filter(call -> call.startsWith("GetShardIterator") && !call.contains("shard-0")))
                    .containsExactly("GetShardIterator shard-1 TRIM_HORIZON", "GetShardIterator shard-2 TRIM_HORIZON",
                            "GetShardIterator shard-3 TRIM_HORIZON");
            assertThat(stub.calls()).contains("GetShardIterator shard-0 TRIM_HORIZON", "DescribeStream",
                    "DescribeStream after shard-2");
            assertThat(failed.out()).containsPattern("step replay-lineage:shard-0 +COMPLETED")
                    .containsPattern("step replay-lineage:shard-1 +FAILED");

            // Healed; meanwhile the app wrote the newest message of every group into the open shard.
            stub.failWhen(call -> false);
            stub.calls().clear();
            for (Conversations.Group g : c.groups) {
                stub.add("shard-3", Conversations.streamRecord("INSERT", g.newest().toItem(), ++sequence));
            }
            Cli.Result resumed = cli.run(command);

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err()).contains("restarting instance");
            // Only the unfinished lineage runs again: shard-1 and shard-2 were finished, shard-3 continues after its
            // checkpoint (its 2nd record, committed by the first run); shard-0's lineage completed before.
            String checkpoint = String.valueOf(100 + 4 + 4 * 4 + 2);
            assertThat(stub.calls().stream().filter(call -> call.startsWith("GetShardIterator")))
                    .containsExactly("GetShardIterator shard-3 AFTER_SEQUENCE_NUMBER " + checkpoint);
            // shard-3: 2 not yet committed + 4 new; the summary still counts shard-0's 4 REMOVEs of the first run.
            assertThat(resumed.out()).contains("read 6, written 6", "ignored: 4 REMOVE");
            assertThat(resumed.out()).doesNotContain("replay-lineage:shard-0");
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        }
    }

    /**
     * A shard split in two (as DynamoDB splits shards): the parent's lineage is one partition, read parent first,
     * then each child; an unrelated root is another partition. Every group's older messages are in the parent,
     * its newest in a child, and its rows end at the child's message.
     */
    @Test
    void aSplitShardIsOneLineageReadParentBeforeEitherChild() {
        Conversations c = Conversations.generate(32, 4, 4);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        try (DynamoDbStreamsStub stub = new DynamoDbStreamsStub(ARN)) {
            stub.shard("child-b", "parent").shard("child-a", "parent").shard("other", null).shard("parent", null)
                    .closeShard("parent").closeShard("other").recordsPerPage(2);
            long sequence = 500;
            for (int m = 0; m < 4; m++) {
                for (int g = 0; g < 4; g++) {
                    String shard = m < 2 ? "parent" : g % 2 == 0 ? "child-a" : "child-b";
                    stub.add(shard, Conversations.streamRecord("INSERT", c.groups.get(g).messages().get(m).toItem(),
                            ++sequence));
                }
            }
            stub.add("other", Conversations.streamRecord("REMOVE", c.groups.get(0).newest().toItem(), ++sequence));
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", stub.endpoint().toString());

            Cli.Result result = cli.run("message-group-replay", "source=stream", "stream-arn=" + ARN, "table=" + table,
                    "chunk-size=3", "threads=2");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            List<String> lineage = stub.calls().stream().filter(call -> call.startsWith("GetShardIterator")
                    && !call.contains("other")).toList();
            assertThat(lineage).hasSize(3).first().isEqualTo("GetShardIterator parent TRIM_HORIZON");
            assertThat(lineage).contains("GetShardIterator child-a TRIM_HORIZON", "GetShardIterator child-b TRIM_HORIZON");
            // The stream is listed once, by the manager (two pages); each partition only asks for the shards made
            // since that listing (after its last shard, "parent"): one call each, not a listing of its own.
            assertThat(stub.calls().stream().filter(call -> call.startsWith("DescribeStream")))
                    .containsExactlyInAnyOrder("DescribeStream", "DescribeStream after child-a",
                            "DescribeStream after parent", "DescribeStream after parent");
            assertThat(result.out()).containsPattern("step replay-lineage:parent +COMPLETED read 16,")
                    .containsPattern("step replay-lineage:other +COMPLETED read 1,")
                    .contains("group updates", "ignored: 1 REMOVE").doesNotContain("replay-lineage:child");
        }
    }

    /**
     * Between the manager's listing and the partitions' start, the lineage's root is trimmed (24 h retention) and
     * its open child splits in two. The lineage's partition still reads the child, then both new children (the
     * split belongs to its parent's lineage); the trimmed root is passed over, its records are gone.
     */
    @Test
    void aRootTrimmedAfterTheListingStillHasItsChildrenReadByItsPartition() {
        Conversations c = Conversations.generate(33, 4, 4);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        try (DynamoDbStreamsStub stub = new DynamoDbStreamsStub(ARN)) {
            stub.shard("root", null).shard("mid", "root").shard("other", null).closeShard("root").closeShard("other");
            long[] sequence = { 700 };
            for (int m = 0; m < 3; m++) {
                for (Conversations.Group g : c.groups) {
                    stub.add(m == 0 ? "root" : "mid", Conversations.streamRecord("INSERT", g.messages().get(m).toItem(),
                            ++sequence[0]));
                }
            }
            stub.add("other", Conversations.streamRecord("REMOVE", c.groups.get(0).newest().toItem(), ++sequence[0]));
            // The manager's listing ends with its second page; then the stream changes.
            stub.afterCall(call -> call.equals("DescribeStream after mid"), changed -> {
                changed.trim("root").closeShard("mid").shard("new-a", "mid").shard("new-b", "mid");
                for (int g = 0; g < c.groups.size(); g++) {
                    changed.add(g % 2 == 0 ? "new-a" : "new-b", Conversations.streamRecord("INSERT",
                            c.groups.get(g).newest().toItem(), ++sequence[0]));
                }
            });
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", stub.endpoint().toString());

            Cli.Result result = cli.run("message-group-replay", "source=stream", "stream-arn=" + ARN, "table=" + table,
                    "chunk-size=3", "threads=2");

            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            assertThat(stub.calls().stream().filter(call -> call.startsWith("GetShardIterator") && !call.contains("other")))
                    .startsWith("GetShardIterator shard root not found", "GetShardIterator mid TRIM_HORIZON")
                    .containsExactlyInAnyOrder("GetShardIterator shard root not found", "GetShardIterator mid TRIM_HORIZON",
                            "GetShardIterator new-a TRIM_HORIZON", "GetShardIterator new-b TRIM_HORIZON");
            // mid's 8 records and the 4 of the split: no partition of their own.
            assertThat(result.out()).containsPattern("step replay-lineage:root +COMPLETED read 12,")
                    .doesNotContain("replay-lineage:mid", "replay-lineage:new-");
        }
    }

    /**
     * A restart without stream-arn= reads the stream the failed run read, although the table's LatestStreamArn is
     * now another one (the stream was disabled and enabled again). dynalite has no streams: a proxy in front of it
     * adds LatestStreamArn to its DescribeTable answers.
     */
    @Test
    void aRestartWithoutStreamArnReadsTheStreamTheFailedRunRead() {
        Conversations c = Conversations.generate(34, 4, 3);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        AtomicReference<String> latest = new AtomicReference<>(ARN);
        try (DynamoDbStreamsStub stub = new DynamoDbStreamsStub(ARN); AwsProxy proxy = new AwsProxy(Emulators.dynalite())) {
            proxy.rewrite((operation, body) -> operation.equals("DescribeTable")
                    ? body.replaceFirst("\\{\"Table\":\\{", "{\"Table\":{\"LatestStreamArn\":\"" + latest.get() + "\",")
                    : body);
            stub.shard("s1", null).closeShard("s1").recordsPerPage(3);
            long sequence = 900;
            for (int m = 0; m < 3; m++) {
                for (Conversations.Group g : c.groups) {
                    stub.add("s1", Conversations.streamRecord("INSERT", g.messages().get(m).toItem(), ++sequence));
                }
            }
            stub.failWhen(call -> call.equals("GetRecords s1 3"));
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", stub.endpoint().toString())
                    .property("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "1");
            String[] command = { "message-group-replay", "source=stream", "table=" + table, "chunk-size=2" };

            Cli.Result failed = cli.run(command);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);

            stub.failWhen(call -> false);
            stub.calls().clear();
            latest.set(ARN.replace("2026-03-23T22:00:00.000", "2026-03-24T08:00:00.000"));
            Cli.Result resumed = cli.run(command);

            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(resumed.err()).contains("restarting instance");
            assertThat(stub.calls()).noneMatch(call -> call.contains("not found"))
                    .contains("GetShardIterator s1 AFTER_SEQUENCE_NUMBER 902");
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        }
    }

    @Test
    void parentsComeBeforeChildrenWhateverTheListingOrder() {
        var shards = List.of(shard("c", "b"), shard("b", "a"), shard("x", null), shard("a", "trimmed-away"));
        assertThat(com.cruddur.batch.dynamodb.DynamoDbStreamReaderAccess.order(shards)).containsExactly("a", "b", "c", "x");
    }

    private static software.amazon.awssdk.services.dynamodb.model.Shard shard(String id, String parent) {
        return software.amazon.awssdk.services.dynamodb.model.Shard.builder().shardId(id).parentShardId(parent).build();
    }
}
