package com.cruddur.batch.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link GroupRowStore} against dynalite: what an owner's group rows look like after each operation. */
class GroupRowStoreTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final String T = "2026-11-20T08:10:00.000000+00:00";
    private static final String T_PLUS_1 = "2026-11-20T08:10:00.000001+00:00";
    private static final String EARLIER = "2026-11-20T08:05:00.000000+00:00";
    private static final UUID SMALLER = UUID.fromString("00000000-0000-4000-8000-00000000000a");
    private static final UUID GREATER = UUID.fromString("ffffffff-0000-4000-8000-00000000000b");
    private static String table;

    @BeforeAll
    static void createTable() {
        table = "store-" + System.nanoTime();
        dynamoDb.createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(dynamoDb, table);
    }

    @Test
    void twoGroupsOfOneOwnerEndingAtTheSameInstantAreBothKeptTheSameWayInEitherOrder() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        List<GroupRowStore.Shift> inOrder = new ArrayList<>();
        inOrder.addAll(store.place(row(first, SMALLER, T)).shifts());
        inOrder.addAll(store.place(row(first, GREATER, T)).shifts());
        List<GroupRowStore.Shift> reversed = new ArrayList<>();
        reversed.addAll(store.place(row(second, GREATER, T)).shifts());
        reversed.addAll(store.place(row(second, SMALLER, T)).shifts());

        assertThat(rows(first)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
        assertThat(rows(second)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
        assertThat(inOrder).containsExactly(new GroupRowStore.Shift(first, GREATER, T, T_PLUS_1, SMALLER));
        assertThat(reversed).containsExactly(new GroupRowStore.Shift(second, GREATER, T, T_PLUS_1, SMALLER));

        // Placing both again changes nothing: the shifted row is at least as new as its message.
        assertThat(store.place(row(first, GREATER, T)).moved()).isFalse();
        assertThat(store.place(row(first, SMALLER, T)).moved()).isFalse();
        assertThat(rows(first)).containsExactly(SMALLER + "@" + T, GREATER + "@" + T_PLUS_1);
    }

    @Test
    void aRowNeverMovesBackwardsAndItsOlderLeftoversGo() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID owner = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        put(row(owner, group, T));
        put(row(owner, group, EARLIER)); // a leftover of a put whose delete never ran

        GroupRowStore.Placement placement = store.place(row(owner, group, "2026-11-20T08:07:00.000000+00:00"));

        assertThat(placement.moved()).isFalse();
        assertThat(placement.existing()).isEqualTo(2);
        assertThat(placement.deleted()).isEqualTo(1);
        assertThat(rows(owner)).containsExactly(group + "@" + T);
    }

    @Test
    void aDeleteNeverRemovesAnotherGroupsRowNorANewerOne() {
        GroupRowStore store = new GroupRowStore(dynamoDb, table);
        UUID owner = UUID.randomUUID();
        UUID mine = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        // The key this group's old row had now holds another group's row.
        put(row(owner, other, EARLIER));
        // This group's row at T, which a stale caller takes for older than T.
        put(row(owner, mine, T));

        assertThat(store.deleteIfOlder(row(owner, mine, EARLIER), T)).isFalse();
        assertThat(store.deleteIfOlder(row(owner, mine, T), T)).isFalse();
        assertThat(store.deleteIfOlder(row(owner, mine, T), EARLIER)).isFalse();
        assertThat(rows(owner)).containsExactly(other + "@" + EARLIER, mine + "@" + T);

        // Moving this group forward deletes only its own older row.
        store.place(row(owner, mine, T_PLUS_1));
        assertThat(rows(owner)).containsExactly(other + "@" + EARLIER, mine + "@" + T_PLUS_1);
    }

    /**
     * Two writers of one group (remote workers replaying files with records of the same group) interleave:
     * the older message's writer has read the owner's rows, the newer one's runs fully, then the older one puts.
     * Dynalite answers each request atomically and in order, so the interleaving is made by holding the
     * held writer's PutItem in {@link AwsProxy} (protocol level: the request itself is forwarded unchanged).
     */
    @Test
    void anOlderWriterWhosePutLandsLastLeavesOnlyTheNewestRow() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        put(row(owner, group, EARLIER));

        GroupRowStore.Placement held = interleave(row(owner, group, T), row(owner, group, T_PLUS_1));

        assertThat(rows(owner)).containsExactly(group + "@" + T_PLUS_1);
        assertThat(held.row().sk()).isEqualTo(T_PLUS_1); // what the owner ends with, not the row it wrote
    }

    @Test
    void aNewerWriterWhosePutLandsLastLeavesOnlyTheNewestRow() throws Exception {
        UUID owner = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        put(row(owner, group, EARLIER));

        GroupRowStore.Placement held = interleave(row(owner, group, T_PLUS_1), row(owner, group, T));

        assertThat(rows(owner)).containsExactly(group + "@" + T_PLUS_1);
        assertThat(held.row().sk()).isEqualTo(T_PLUS_1);
    }

    /**
     * Places {@code heldRow} through a proxy that holds its first PutItem (after its rows were read), places
     * {@code otherRow} to completion meanwhile, then lets the held put through.
     */
    private static GroupRowStore.Placement interleave(GroupRow heldRow, GroupRow otherRow) throws Exception {
        CountDownLatch putHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        try (AwsProxy proxy = new AwsProxy(Emulators.dynalite());
                DynamoDbClient throughProxy = DynamoDbClient.builder().endpointOverride(proxy.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .httpClient(UrlConnectionHttpClient.create()).build()) {
            proxy.fault((operation, body) -> {
                if ("PutItem".equals(operation) && first.getAndSet(false)) {
                    putHeld.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return null;
            });
            CompletableFuture<GroupRowStore.Placement> heldPlacement = CompletableFuture
                    .supplyAsync(() -> new GroupRowStore(throughProxy, table).place(heldRow));
            assertThat(putHeld.await(30, TimeUnit.SECONDS)).isTrue();
            new GroupRowStore(dynamoDb, table).place(otherRow);
            release.countDown();
            return heldPlacement.get(30, TimeUnit.SECONDS);
        }
    }

    private static GroupRow row(UUID owner, UUID group, String sk) {
        return new GroupRow(owner, sk, group, "text at " + sk, UUID.nameUUIDFromBytes(group.toString().getBytes()),
                "Other", "other");
    }

    private static void put(GroupRow row) {
        dynamoDb.putItem(p -> p.tableName(table).item(row.toItem()));
    }

    /** The owner's group rows as {@code group@sk}, in sk order. */
    private static List<String> rows(UUID owner) {
        return dynamoDb.queryPaginator(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(owner)))))
                .items().stream().map(GroupRow::fromItem).map(r -> r.messageGroupUuid() + "@" + r.sk()).toList();
    }
}
