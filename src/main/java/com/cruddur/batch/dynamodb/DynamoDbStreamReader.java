package com.cruddur.batch.dynamodb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every record of a DynamoDB stream, shard by shard, parents before children (the order DynamoDB
 * Streams requires for per-item order). Each shard starts at TRIM_HORIZON, or after its checkpoint.
 * A closed shard ends where GetRecords returns no NextShardIterator; an open shard ends, for this run,
 * after two empty answers in a row (a batch job catches up, it does not tail).
 *
 * <p>Restart state, in the ExecutionContext as JSON text: {@code <name>.checkpoints} (shard id -> last
 * sequence number read) and {@code <name>.finished} (closed shards read to the end). {@link #update}
 * runs when a chunk commits, so a checkpoint never runs ahead of what was written.
 */
public class DynamoDbStreamReader implements ItemStreamReader<DynamoDbStreamReader.ShardRecord> {

    /** A record with the shard it came from. */
    public record ShardRecord(String shardId, Record record) {
    }

    private static final Logger log = LoggerFactory.getLogger(DynamoDbStreamReader.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final String name;
    /** The root shard whose lineage this reader reads, or null for every shard. */
    private final String lineage;
    /** Records per GetRecords call (the most DynamoDB Streams allows). */
    private static final int LIMIT = 1000;
    private static final int EMPTY_POLLS_TO_CATCH_UP = 2;

    private final Map<String, String> checkpoints = new TreeMap<>();
    private final Set<String> finished = new LinkedHashSet<>();
    private final Deque<Shard> shards = new ArrayDeque<>();
    private final Deque<Record> buffer = new ArrayDeque<>();
    private Shard current;
    private String iterator;
    private boolean currentClosed;
    private int emptyPolls;

    public DynamoDbStreamReader(DynamoDbStreamsClient streams, String streamArn, String name) {
        this(streams, streamArn, name, null);
    }

    /**
     * A reader of one shard lineage: the root shard {@code lineage} (one whose parent is not listed) and
     * its descendants, parents before children. Lineages share no shard, so each can be read by its own
     * reader, on its own thread or process, with per-item order kept (an item's records stay in one lineage).
     *
     * @param lineage a root shard id from {@link #lineages}, or null for every shard
     */
    public DynamoDbStreamReader(DynamoDbStreamsClient streams, String streamArn, String name, String lineage) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.name = name;
        this.lineage = lineage;
    }

    /** The root shards of the stream as DescribeStream lists them now: one per lineage, in listing order. */
    public static List<String> lineages(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> all = new DynamoDbStreamReader(streams, streamArn, "lineages").describeAllShards();
        Map<String, Shard> byId = byId(all);
        return all.stream().filter(s -> rootOf(s, byId).equals(s.shardId())).map(Shard::shardId).toList();
    }

    @Override
    public void open(ExecutionContext context) {
        checkpoints.clear();
        finished.clear();
        if (context.containsKey(name + ".checkpoints")) {
            checkpoints.putAll(JSON.readValue(context.getString(name + ".checkpoints"),
                    new TypeReference<Map<String, String>>() {
                    }));
            finished.addAll(JSON.readValue(context.getString(name + ".finished"), new TypeReference<List<String>>() {
            }));
        }
        shards.clear();
        List<Shard> all = describeAllShards();
        Map<String, Shard> byId = byId(all);
        for (Shard shard : parentsFirst(all)) {
            if (lineage == null || rootOf(shard, byId).equals(lineage)) {
                shards.add(shard);
            }
        }
        current = null;
        iterator = null;
        buffer.clear();
    }

    @Override
    public ShardRecord read() {
        while (true) {
            if (!buffer.isEmpty()) {
                Record record = buffer.poll();
                checkpoints.put(current.shardId(), record.dynamodb().sequenceNumber());
                return new ShardRecord(current.shardId(), record);
            }
            if (current != null && (currentClosed || emptyPolls >= EMPTY_POLLS_TO_CATCH_UP)) {
                if (currentClosed) {
                    finished.add(current.shardId());
                }
                current = null;
            }
            if (current == null) {
                current = nextShard();
                if (current == null) {
                    return null;
                }
                iterator = iteratorFor(current);
                currentClosed = false;
                emptyPolls = 0;
            }
            GetRecordsResponse page;
            try {
                page = streams.getRecords(r -> r.shardIterator(iterator).limit(LIMIT));
            }
            catch (ExpiredIteratorException e) {
                iterator = iteratorFor(current);
                continue;
            }
            buffer.addAll(page.records());
            iterator = page.nextShardIterator();
            currentClosed = iterator == null;
            emptyPolls = page.records().isEmpty() ? emptyPolls + 1 : 0;
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(name + ".checkpoints", JSON.writeValueAsString(checkpoints));
        context.putString(name + ".finished", JSON.writeValueAsString(new ArrayList<>(finished)));
    }

    private Shard nextShard() {
        while (!shards.isEmpty()) {
            Shard shard = shards.poll();
            if (!finished.contains(shard.shardId())) {
                return shard;
            }
        }
        return null;
    }

    private String iteratorFor(Shard shard) {
        String after = checkpoints.get(shard.shardId());
        return streams.getShardIterator(r -> {
            r.streamArn(streamArn).shardId(shard.shardId());
            if (after == null) {
                r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
            }
            else {
                r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
            }
        }).shardIterator();
    }

    private List<Shard> describeAllShards() {
        List<Shard> all = new ArrayList<>();
        String start = null;
        do {
            String exclusiveStart = start;
            DescribeStreamResponse page = streams.describeStream(r -> r.streamArn(streamArn)
                    .exclusiveStartShardId(exclusiveStart));
            all.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        }
        while (start != null);
        if (all.isEmpty()) {
            log.info("stream {} has no shards", streamArn);
        }
        return all;
    }

    /**
     * Topological order: a shard comes after its parent when the parent is still listed (a trimmed
     * parent is gone and no longer constrains the child). Otherwise in DescribeStream's order.
     */
    static List<Shard> parentsFirst(List<Shard> shards) {
        Map<String, Shard> byId = new LinkedHashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        List<Shard> ordered = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (Shard shard : shards) {
            place(shard, byId, placed, ordered, new LinkedHashSet<>());
        }
        return ordered;
    }

    private static Map<String, Shard> byId(List<Shard> shards) {
        Map<String, Shard> byId = new LinkedHashMap<>();
        shards.forEach(s -> byId.put(s.shardId(), s));
        return byId;
    }

    /** The shard's oldest listed ancestor (itself when its parent is not listed: trimmed, or none). */
    static String rootOf(Shard shard, Map<String, Shard> byId) {
        Shard root = shard;
        Set<String> seen = new LinkedHashSet<>();
        while (root.parentShardId() != null && byId.containsKey(root.parentShardId())) {
            if (!seen.add(root.shardId())) {
                throw new ItemStreamException("shard parent cycle at " + root.shardId());
            }
            root = byId.get(root.parentShardId());
        }
        return root.shardId();
    }

    private static void place(Shard shard, Map<String, Shard> byId, Set<String> placed, List<Shard> ordered,
            Set<String> visiting) {
        if (placed.contains(shard.shardId())) {
            return;
        }
        if (!visiting.add(shard.shardId())) {
            throw new ItemStreamException("shard parent cycle at " + shard.shardId());
        }
        Shard parent = shard.parentShardId() == null ? null : byId.get(shard.parentShardId());
        if (parent != null) {
            place(parent, byId, placed, ordered, visiting);
        }
        placed.add(shard.shardId());
        ordered.add(shard);
    }
}
