package com.cruddur.batch.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A STUB of the DynamoDB Streams service, speaking its JSON 1.0 protocol
 * ({@code X-Amz-Target: DynamoDBStreams_20120810.<Operation>}) to the real SDK
 * {@code DynamoDbStreamsClient}. It exists because dynalite has no Streams API. It answers
 * DescribeStream (shards with parents, paged by {@code describePageSize} through LastEvaluatedShardId),
 * GetShardIterator (TRIM_HORIZON, LATEST, AT_/AFTER_SEQUENCE_NUMBER) and GetRecords (at most
 * {@code recordsPerPage} records; no NextShardIterator once a closed shard is read to its end), and
 * records every call, e.g. {@code GetShardIterator shard-2 AFTER_SEQUENCE_NUMBER 104}. A trimmed shard
 * ({@link #trim}) is no longer listed and GetShardIterator on it answers ResourceNotFoundException, as an
 * unknown stream does; {@link #afterCall} changes the stream between two calls (e.g. once a listing ends).
 */
public final class DynamoDbStreamsStub implements AutoCloseable {

    private record StoredRecord(String sequenceNumber, JsonNode json) {
    }

    private static final class StubShard {
        final String id;
        final String parentId;
        final List<StoredRecord> records = new ArrayList<>();
        boolean closed;

        StubShard(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final String streamArn;
    private final Map<String, StubShard> shards = new LinkedHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> failWhen = call -> false;
    private final List<Map.Entry<Predicate<String>, Consumer<DynamoDbStreamsStub>>> afterCall = new ArrayList<>();
    private int recordsPerPage = 3;
    private int describePageSize = 2;

    public DynamoDbStreamsStub(String streamArn) {
        this.streamArn = streamArn;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Shards are listed by DescribeStream in the order added. */
    public synchronized DynamoDbStreamsStub shard(String id, String parentId) {
        shards.put(id, new StubShard(id, parentId));
        return this;
    }

    public synchronized DynamoDbStreamsStub closeShard(String id) {
        shards.get(id).closed = true;
        return this;
    }

    /** A stream record (GetRecords' Record shape) with its {@code dynamodb.SequenceNumber}. */
    public synchronized DynamoDbStreamsStub add(String shardId, String recordJson) {
        JsonNode json = JSON.readTree(recordJson);
        shards.get(shardId).records.add(new StoredRecord(json.path("dynamodb").path("SequenceNumber").asString(), json));
        return this;
    }

    /** The shard leaves the stream, records and all, as the service trims shards older than 24 hours. */
    public synchronized DynamoDbStreamsStub trim(String id) {
        shards.remove(id);
        return this;
    }

    /** Runs {@code change} once, right after answering the first call that matches. */
    public synchronized DynamoDbStreamsStub afterCall(Predicate<String> call, Consumer<DynamoDbStreamsStub> change) {
        afterCall.add(Map.entry(call, change));
        return this;
    }

    public synchronized DynamoDbStreamsStub recordsPerPage(int n) {
        recordsPerPage = n;
        return this;
    }

    /** Calls for which this answers 500 InternalServerError, as the service does when it fails. */
    public void failWhen(Predicate<String> predicate) {
        failWhen = predicate;
    }

    public List<String> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            int status = 200;
            String body;
            synchronized (this) {
                String call;
                ObjectNode response = JSON.createObjectNode();
                String notFound = null;
                try {
                    switch (operation) {
                        case "DescribeStream" -> call = describe(request, response);
                        case "GetShardIterator" -> call = shardIterator(request, response);
                        case "GetRecords" -> call = records(request, response);
                        default -> call = operation;
                    }
                }
                catch (NotFound e) {
                    call = operation + " " + e.getMessage() + " not found";
                    notFound = e.getMessage();
                }
                calls.add(call);
                if (notFound != null) {
                    status = 400;
                    body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                            + "\"message\":\"Requested resource not found: " + notFound + " does not exist\"}";
                }
                else if (failWhen.test(call)) {
                    status = 500;
                    body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                            + "\"message\":\"stub: injected failure of " + call + "\"}";
                }
                else if (call.equals(operation) && !operation.equals("DescribeStream")) {
                    status = 400;
                    body = "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}";
                }
                else {
                    body = JSON.writeValueAsString(response);
                }
                for (var it = afterCall.iterator(); it.hasNext();) {
                    var change = it.next();
                    if (change.getKey().test(call)) {
                        it.remove();
                        change.getValue().accept(this);
                    }
                }
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private String describe(JsonNode request, ObjectNode response) {
        if (!streamArn.equals(request.path("StreamArn").asString())) {
            throw new NotFound("stream " + request.path("StreamArn").asString());
        }
        String start = request.path("ExclusiveStartShardId").asString(null);
        List<StubShard> all = new ArrayList<>(shards.values());
        int from = 0;
        if (start != null) {
            while (from < all.size() && !all.get(from).id.equals(start)) {
                from++;
            }
            from = Math.min(all.size(), from + 1);
        }
        ObjectNode description = response.putObject("StreamDescription");
        description.put("StreamArn", streamArn).put("StreamStatus", "ENABLED").put("StreamViewType", "NEW_IMAGE");
        ArrayNode list = description.putArray("Shards");
        int to = Math.min(all.size(), from + describePageSize);
        for (StubShard shard : all.subList(from, to)) {
            ObjectNode node = list.addObject().put("ShardId", shard.id);
            if (shard.parentId != null) {
                node.put("ParentShardId", shard.parentId);
            }
            ObjectNode range = node.putObject("SequenceNumberRange");
            range.put("StartingSequenceNumber", shard.records.isEmpty() ? "0" : shard.records.get(0).sequenceNumber());
            if (shard.closed && !shard.records.isEmpty()) {
                range.put("EndingSequenceNumber", shard.records.get(shard.records.size() - 1).sequenceNumber());
            }
        }
        if (to < all.size()) {
            description.put("LastEvaluatedShardId", all.get(to - 1).id);
        }
        return "DescribeStream" + (start == null ? "" : " after " + start);
    }

    private String shardIterator(JsonNode request, ObjectNode response) {
        if (!streamArn.equals(request.path("StreamArn").asString())) {
            throw new NotFound("stream " + request.path("StreamArn").asString());
        }
        StubShard shard = shards.get(request.path("ShardId").asString());
        if (shard == null) {
            throw new NotFound("shard " + request.path("ShardId").asString());
        }
        String type = request.path("ShardIteratorType").asString();
        String sequence = request.path("SequenceNumber").asString(null);
        int position = switch (type) {
            case "TRIM_HORIZON" -> 0;
            case "LATEST" -> shard.records.size();
            case "AT_SEQUENCE_NUMBER" -> indexOf(shard, sequence);
            case "AFTER_SEQUENCE_NUMBER" -> indexOf(shard, sequence) + 1;
            default -> throw new IllegalStateException(type);
        };
        response.put("ShardIterator", shard.id + "/" + position);
        return "GetShardIterator " + shard.id + " " + type + (sequence == null ? "" : " " + sequence);
    }

    private String records(JsonNode request, ObjectNode response) {
        String iterator = request.path("ShardIterator").asString();
        StubShard shard = shards.get(iterator.substring(0, iterator.lastIndexOf('/')));
        if (shard == null) {
            throw new NotFound("shard " + iterator.substring(0, iterator.lastIndexOf('/')));
        }
        int position = Integer.parseInt(iterator.substring(iterator.lastIndexOf('/') + 1));
        int limit = Math.min(recordsPerPage, request.path("Limit").asInt(1000));
        int end = Math.min(shard.records.size(), position + limit);
        ArrayNode list = response.putArray("Records");
        shard.records.subList(position, end).forEach(r -> list.add(r.json()));
        if (!shard.closed || end < shard.records.size()) {
            response.put("NextShardIterator", shard.id + "/" + end);
        }
        return "GetRecords " + shard.id + " " + position;
    }

    private static int indexOf(StubShard shard, String sequence) {
        for (int i = 0; i < shard.records.size(); i++) {
            if (shard.records.get(i).sequenceNumber().equals(sequence)) {
                return i;
            }
        }
        throw new IllegalStateException("no record " + sequence + " in " + shard.id);
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super(what);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
