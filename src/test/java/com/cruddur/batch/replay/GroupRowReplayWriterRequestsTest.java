package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * What the writer remembers from chunk to chunk saves requests and changes nothing in the table: against the
 * real dynalite, with a client that counts the requests it sends (an SDK interceptor, no stub). An update not
 * newer than what both rows were seen at costs no request; a group's owners are asked of the index once; a
 * new writer (a restart) learns both afresh.
 */
class GroupRowReplayWriterRequestsTest {

    private static final Map<String, Integer> requests = new TreeMap<>();
    private static DynamoDbClient counted;
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private final Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true), System.err);

    @BeforeAll
    static void countingClient() {
        counted = DynamoDbClient.builder().endpointOverride(Emulators.dynalite()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        String name = context.request().getClass().getSimpleName().replace("Request", "");
                        if (context.request() instanceof QueryRequest query && query.indexName() != null) {
                            name += " index";
                        }
                        synchronized (requests) {
                            requests.merge(name, 1, Integer::sum);
                        }
                    }
                }))
                .build();
    }

    @Test
    void olderUpdatesCostNoRequestAndOwnersAreAskedOnce() throws Exception {
        Conversations c = Conversations.generate(11, 1, 4);
        Conversations.Group g = c.groups.get(0);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        ReplayCounters counters = new ReplayCounters();
        GroupRowReplayWriter writer = new GroupRowReplayWriter(counted, table, Conversations.INDEX, counters, null,
                console, 1);
        try {
            assertThat(write(writer, counters, g.messages().get(2)))
                    .isEqualTo(Map.of("Query index", 1, "Query", 4, "PutItem", 2, "DeleteItem", 2));
            assertThat(Conversations.groupRows(dynamoDb, table))
                    .isEqualTo(describe(c.groupRowsAt(2)));

            // Older than what both rows were placed at: nothing to ask, nothing written, both counted current.
            assertThat(write(writer, counters, g.messages().get(1))).isEmpty();
            assertThat(counters.get(ReplayCounters.ROWS_CURRENT)).isEqualTo(2);
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(describe(c.groupRowsAt(2)));

            // Newer: the owners are known, the rows are still read consistently before the conditional puts and
            // again after them (another writer of the group may have put meanwhile).
            assertThat(write(writer, counters, g.newest())).isEqualTo(Map.of("Query", 4, "PutItem", 2, "DeleteItem", 2));
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            assertThat(counters.get(ReplayCounters.ROWS_MOVED)).isEqualTo(4);
        }
        finally {
            writer.close();
        }

        // A new writer, as after a restart, reads before it concludes anything.
        ReplayCounters fresh = new ReplayCounters();
        GroupRowReplayWriter restarted = new GroupRowReplayWriter(counted, table, Conversations.INDEX, fresh, null,
                console, 1);
        try {
            assertThat(write(restarted, fresh, g.messages().get(1))).isEqualTo(Map.of("Query index", 1, "Query", 2));
            assertThat(fresh.get(ReplayCounters.ROWS_CURRENT)).isEqualTo(2);
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        }
        finally {
            restarted.close();
        }
    }

    @Test
    void theSendersRowNamesTheOtherOwnerSoTheIndexIsNotAsked() throws Exception {
        Conversations c = Conversations.generate(12, 1, 4);
        Conversations.Group g = c.groups.get(0);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        ReplayCounters counters = new ReplayCounters();
        GroupRowReplayWriter writer = new GroupRowReplayWriter(counted, table, Conversations.INDEX, counters, null,
                console, 1);
        try {
            // Sent by b: b's row is read first and names a, whose row is read next.
            MessageRow byB = g.messages().get(1);
            assertThat(byB.userUuid()).isEqualTo(g.b().uuid());
            assertThat(write(writer, counters, byB, byB.userUuid()))
                    .isEqualTo(Map.of("Query", 4, "PutItem", 2, "DeleteItem", 2));
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(describe(c.groupRowsAt(1)));

            assertThat(write(writer, counters, g.newest(), g.newest().userUuid()))
                    .isEqualTo(Map.of("Query", 4, "PutItem", 2, "DeleteItem", 2));
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
            assertThat(counters.get(ReplayCounters.ROWS_MOVED)).isEqualTo(4);
            assertThat(counters.get(ReplayCounters.GROUPS_MISSING_ROWS)).isZero();
        }
        finally {
            writer.close();
        }
    }

    @Test
    void aSenderWithoutARowOfTheGroupOrAMissingRowSendsTheWriterToTheIndex() throws Exception {
        Conversations c = Conversations.generate(13, 2, 4);
        Conversations.Group g = c.groups.get(0);
        Conversations.Group h = c.groups.get(1);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        // h has lost b's row.
        GroupRow hB = c.groupRowsAt(0).stream()
                .filter(r -> r.messageGroupUuid().equals(h.uuid()) && r.ownerUserUuid().equals(h.b().uuid()))
                .findFirst().orElseThrow();
        dynamoDb.deleteItem(d -> d.tableName(table).key(Map.of("pk", hB.toItem().get("pk"), "sk", hB.toItem().get("sk"))));
        ReplayCounters counters = new ReplayCounters();
        GroupRowReplayWriter writer = new GroupRowReplayWriter(counted, table, Conversations.INDEX, counters, null,
                console, 1);
        try {
            // A sender who has no row of g (not a participant): the index names both owners, whose rows move.
            assertThat(write(writer, counters, g.newest(), UUID.randomUUID()))
                    .isEqualTo(Map.of("Query", 5, "Query index", 1, "PutItem", 2, "DeleteItem", 2));
            // a's row of h names b, who has none: the index is asked whether anyone else has one.
            assertThat(write(writer, counters, h.newest(), h.a().uuid()))
                    .isEqualTo(Map.of("Query", 3, "Query index", 1, "PutItem", 1, "DeleteItem", 1));
            assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(describe(c.groupRowsAt(3).stream()
                    .filter(r -> !(r.messageGroupUuid().equals(h.uuid()) && r.ownerUserUuid().equals(h.b().uuid())))
                    .toList()));
            assertThat(counters.get(ReplayCounters.ROWS_MOVED)).isEqualTo(3);
            assertThat(counters.get(ReplayCounters.GROUPS_MISSING_ROWS)).isEqualTo(1);
        }
        finally {
            writer.close();
        }
    }

    /** Writes one chunk of one update without a sender; returns the requests it sent, by kind. */
    private static Map<String, Integer> write(GroupRowReplayWriter writer, ReplayCounters counters, MessageRow m)
            throws Exception {
        return write(writer, counters, m, null);
    }

    /** Writes one chunk of one update; returns the requests it sent, by kind. */
    private static Map<String, Integer> write(GroupRowReplayWriter writer, ReplayCounters counters, MessageRow m,
            UUID sender) throws Exception {
        synchronized (requests) {
            requests.clear();
        }
        writer.write(new Chunk<>(List.of(new GroupUpdate(m.messageGroupUuid(), m.sk(), m.message(), "test", sender))));
        counters.update(new ExecutionContext()); // the chunk commits, as in the step: its counts become totals
        synchronized (requests) {
            return new TreeMap<>(requests);
        }
    }

    private static TreeSet<String> describe(List<GroupRow> rows) {
        TreeSet<String> described = new TreeSet<>();
        rows.forEach(r -> described.add(Conversations.describe(r.toItem())));
        return described;
    }
}
