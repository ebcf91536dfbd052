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
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
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
 * after two empty answers in a row (a batch job catches up, it does not tail). A shard gone from the stream
 * (trimmed) is passed over with a warning: its records are gone with it.
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
    /** The lineage this reader reads, or null for every shard. */
    private final Lineage lineage;
    /** Records per GetRecords call (the most DynamoDB Streams allows). */
    private static final int LIMIT = 1000;
    private static final int EMPTY_POLLS_TO_CATCH_UP = 2;

    private final Map<String, String> checkpoints = new TreeMap<>();
    private final Set<String> finished = new LinkedHashSet<>();
    private final Deque<String> shards = new ArrayDeque<>();
    private final Deque<Record> buffer = new ArrayDeque<>();
    private String current;
    private String iterator;
    private boolean currentClosed;
    private int emptyPolls;

    public DynamoDbStreamReader(DynamoDbStreamsClient streams, String streamArn, String name) {
        this(streams, streamArn, name, null);
    }

    /**
     * A reader of one shard lineage (see {@link Lineage}), parents before children. Lineages share no shard, so
     * each can be read by its own reader, on its own thread or process, with per-item order kept (an item's
     * records stay in one lineage).
     *
     * @param lineage one of {@link #lineages}, or null for every shard
     */
    public DynamoDbStreamReader(DynamoDbStreamsClient streams, String streamArn, String name, Lineage lineage) {
        this.streams = streams;
        this.streamArn = streamArn;
        this.name = name;
        this.lineage = lineage;
    }

    /**
     * A shard lineage as one listing of the stream found it: a root shard (whose parent is not listed: trimmed, or
     * none) and its listed descendants. {@code members} maps each member shard id to its parent id, parents first;
     * {@code listedUpTo} is the listing's last shard: DescribeStream lists shards in the order they were created
     * (their ids begin with their creation time), so shards made later (splits of a member) are listed after it.
     * <p>
     * The members are kept, not re-derived from a later listing: by then the root may be trimmed (24 h retention),
     * and its children would look like roots of their own that no reader owns.
     */
    public record Lineage(String root, Map<String, String> members, String listedUpTo) {

        public String toJson() {
            return JSON.writeValueAsString(this);
        }

        public static Lineage fromJson(String json) {
            return JSON.readValue(json, Lineage.class);
        }
    }

    /**
     * The stream's lineages as one paginated DescribeStream lists them now, in listing order of their roots. Called
     * once per run by whoever shares them out; readers do not list the whole stream again.
     */
    public static List<Lineage> lineages(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> all = describeShards(streams, streamArn, null);
        if (all.isEmpty()) {
            return List.of();
        }
        Map<String, Shard> byId = byId(all);
        Map<String, Map<String, String>> byRoot = new LinkedHashMap<>();
        for (Shard shard : all) {
            if (rootOf(shard, byId).equals(shard.shardId())) {
                byRoot.put(shard.shardId(), new LinkedHashMap<>());
            }
        }
        for (Shard shard : parentsFirst(all)) {
            byRoot.get(rootOf(shard, byId)).put(shard.shardId(), shard.parentShardId());
        }
        String last = all.get(all.size() - 1).shardId();
        return byRoot.entrySet().stream().map(e -> new Lineage(e.getKey(), e.getValue(), last)).toList();
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
        if (lineage == null) {
            parentsFirst(describeShards(streams, streamArn, null)).forEach(s -> shards.add(s.shardId()));
        }
        else {
            shards.addAll(membersNow(lineage));
        }
        current = null;
        iterator = null;
        buffer.clear();
    }

    /**
     * The lineage's members, parents first, with the shards created since its listing whose parent is a member
     * (a split of a member belongs to its lineage and is read after its parent). Costs one DescribeStream call
     * (more only when over 100 shards were created since): only the shards after {@code listedUpTo} are listed. A
     * member trimmed meanwhile is still in the list (its children stay in this lineage); reading finds it gone.
     */
    private List<String> membersNow(Lineage lineage) {
        Map<String, String> members = new LinkedHashMap<>(lineage.members());
        for (Shard shard : parentsFirst(describeShards(streams, streamArn, lineage.listedUpTo()))) {
            if (!members.containsKey(shard.shardId()) && members.containsKey(shard.parentShardId())) {
                members.put(shard.shardId(), shard.parentShardId());
            }
        }
        return new ArrayList<>(members.keySet());
    }

    @Override
    public ShardRecord read() {
        while (true) {
            if (!buffer.isEmpty()) {
                Record record = buffer.poll();
                checkpoints.put(current, record.dynamodb().sequenceNumber());
                return new ShardRecord(current, record);
            }
            if (current != null && (currentClosed || emptyPolls >= EMPTY_POLLS_TO_CATCH_UP)) {
                if (currentClosed) {
                    finished.add(current);
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
                if (iterator == null) {
                    currentClosed = true;
                    continue;
                }
            }
            GetRecordsResponse page;
            try {
                page = streams.getRecords(r -> r.shardIterator(iterator).limit(LIMIT));
            }
            catch (ExpiredIteratorException e) {
                iterator = iteratorFor(current);
                currentClosed = iterator == null;
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

    private String nextShard() {
        while (!shards.isEmpty()) {
            String shard = shards.poll();
            if (!finished.contains(shard)) {
                return shard;
            }
        }
        return null;
    }

    /** An iterator after the shard's checkpoint, or null when the shard is gone (trimmed: its records are too). */
    private String iteratorFor(String shardId) {
        String after = checkpoints.get(shardId);
        try {
            return streams.getShardIterator(r -> {
                r.streamArn(streamArn).shardId(shardId);
                if (after == null) {
                    r.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
                }
                else {
                    r.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(after);
                }
            }).shardIterator();
        }
        catch (ResourceNotFoundException e) {
            log.warn("shard {} of stream {} is gone (trimmed after 24 hours); its records can no longer be read, "
                    + "its children are read next", shardId, streamArn);
            return null;
        }
    }

    /** The shards DescribeStream lists after {@code exclusiveStart} (null: from the first), every page. */
    private static List<Shard> describeShards(DynamoDbStreamsClient streams, String streamArn, String exclusiveStart) {
        List<Shard> all = new ArrayList<>();
        String start = exclusiveStart;
        do {
            String after = start;
            DescribeStreamResponse page = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(after));
            all.addAll(page.streamDescription().shards());
            start = page.streamDescription().lastEvaluatedShardId();
        }
        while (start != null);
        if (all.isEmpty() && exclusiveStart == null) {
            log.info("stream {} has no shards", streamArn);
        }
        return all;
    }

    /**
     * Topological order: a shard comes after its parent when the parent is still listed (a trimmed
     * parent is gone and no longer constrains the child). Otherwise in DescribeStream's order.
     */
    static List<Shard> parentsFirst(List<Shard> shards) {
        Map<String, Shard> byId = byId(shards);
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
