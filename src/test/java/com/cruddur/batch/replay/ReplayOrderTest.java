package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * Property-style: the same stream records, shuffled, duplicated, replayed, mixed with REMOVE and
 * {@code GRP#} records and cut into random chunks, end in exactly the state the records give in
 * order. Against the real dynalite; the record parser, processor and writer are driven directly
 * (no Spring context per trial) so that many orderings fit in a test run. The job's own path is
 * covered by {@link ReplayFileJobTest}.
 */
class ReplayOrderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true), System.err);

    @Test
    void recordsInAnyOrderAndMultiplicityEndAsInOrder() throws Exception {
        Conversations c = Conversations.generate(42, 12, 6);
        String table = Conversations.createTable(dynamoDb);
        Random random = new Random(7);

        resetGroupRows(table, c, random, false);
        List<String> inOrder = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.messagesInOrder()) {
            inOrder.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        replay(table, inOrder, random, 1, 1);
        TreeSet<String> inOrderState = Conversations.groupRows(dynamoDb, table);
        assertThat(inOrderState).isEqualTo(c.expectedGroupRows());

        for (int trial = 0; trial < 20; trial++) {
            boolean leftovers = trial % 3 == 0;
            resetGroupRows(table, c, random, leftovers);
            List<String> records = new ArrayList<>();
            for (String record : inOrder) {
                int copies = 1 + random.nextInt(3);
                for (int i = 0; i < copies; i++) {
                    records.add(record);
                }
            }
            // MODIFY of an old message, REMOVE of a newer one, and the consumer's own GRP# writes: none may
            // move a group back.
            for (MessageRow m : c.allMessages()) {
                if (random.nextInt(4) == 0) {
                    records.add(Conversations.streamRecord("MODIFY", m.toItem(), ++sequence));
                }
                if (random.nextInt(4) == 0) {
                    records.add(Conversations.streamRecord("REMOVE", m.toItem(), ++sequence));
                }
            }
            for (GroupRow row : c.groupRowsAt(0)) {
                records.add(Conversations.streamRecord("INSERT", row.toItem(), ++sequence));
            }
            Collections.shuffle(records, random);
            int chunk = 1 + random.nextInt(60);
            int concurrency = 1 + random.nextInt(4);

            replay(table, records, random, chunk, concurrency);

            assertThat(Conversations.groupRows(dynamoDb, table))
                    .as("trial %d: %d records, chunk %d, concurrency %d, leftovers %s", trial, records.size(), chunk,
                            concurrency, leftovers)
                    .isEqualTo(inOrderState);
        }
    }

    @Test
    void equalOrOlderRecordsChangeNothing() throws Exception {
        Conversations c = Conversations.generate(3, 4, 5);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(4).stream().map(GroupRow::toItem).toList());
        // A row at the newest message but carrying a text the records do not have: if any record
        // rewrote it, the text would change.
        GroupRow marked = c.groupRowsAt(4).get(0).withLastMessage(c.groups.get(0).newest().sk(), "untouched");
        dynamoDb.putItem(p -> p.tableName(table).item(marked.toItem()));
        TreeSet<String> before = Conversations.groupRows(dynamoDb, table);

        List<String> records = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            records.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        Collections.reverse(records);
        replay(table, records, new Random(1), 3, 2);

        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(before);
    }

    @Test
    void aCrashBetweenPutAndDeleteLeavesARowWhichTheRerunCleansUp() throws Exception {
        Conversations c = Conversations.generate(5, 1, 3);
        String table = Conversations.createTable(dynamoDb);
        Conversations.Group g = c.groups.get(0);
        // What a crash after the put and before the delete leaves: owner a has the old and the new row.
        Conversations.putAll(dynamoDb, table, List.of(Conversations.row(g, g.a(), g.messages().get(0)).toItem(),
                Conversations.row(g, g.a(), g.messages().get(2)).toItem(),
                Conversations.row(g, g.b(), g.messages().get(0)).toItem()));

        // Rerun with the same record (equal to a's new row, newer than b's).
        replay(table, List.of(Conversations.streamRecord("INSERT", g.newest().toItem(), 1)), new Random(1), 1, 1);

        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
    }

    /** Parses, filters and writes the records in chunks, as the job's step does. */
    private void replay(String table, List<String> records, Random random, int chunkSize, int concurrency)
            throws Exception {
        ReplayCounters counters = new ReplayCounters();
        ChangeRecordProcessor processor = new ChangeRecordProcessor(counters);
        GroupRowReplayWriter writer = new GroupRowReplayWriter(dynamoDb, table, Conversations.INDEX, counters, null,
                console, concurrency);
        try {
            List<GroupUpdate> updates = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                updates.add(processor.process(ChangeRecordJson.parse("record " + i, JSON.readTree(records.get(i)))));
            }
            List<GroupUpdate> kept = updates.stream().filter(Objects::nonNull).toList();
            for (int i = 0; i < kept.size(); i += chunkSize) {
                writer.write(new Chunk<>(kept.subList(i, Math.min(kept.size(), i + chunkSize))));
            }
        }
        finally {
            writer.close();
        }
    }

    /** All group rows back at the first message; with leftovers, some owners also keep a second, older row. */
    private void resetGroupRows(String table, Conversations c, Random random, boolean leftovers) {
        dynamoDb.scanPaginator(s -> s.tableName(table)).items().stream()
                .filter(item -> MessageKeys.isGroupPk(item.get(MessageKeys.PK).s()))
                .forEach(item -> dynamoDb.deleteItem(d -> d.tableName(table).key(Map.of(MessageKeys.PK,
                        item.get(MessageKeys.PK), MessageKeys.SK, item.get(MessageKeys.SK)))));
        List<Map<String, AttributeValue>> rows = new ArrayList<>();
        for (Conversations.Group g : c.groups) {
            for (Conversations.User owner : List.of(g.a(), g.b())) {
                rows.add(Conversations.row(g, owner, g.messages().get(0)).toItem());
                if (leftovers && random.nextBoolean()) {
                    rows.add(Conversations.row(g, owner, g.messages().get(1 + random.nextInt(g.messages().size() - 1)))
                            .toItem());
                }
            }
        }
        Conversations.putAll(dynamoDb, table, rows);
    }
}
