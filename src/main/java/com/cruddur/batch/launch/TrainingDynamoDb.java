package com.cruddur.batch.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A protocol-level stand-in for DynamoDB, used only by {@link StartupTraining} so that the trained launches
 * run to their end without a network: the cache then holds the request, response and unmarshalling classes
 * of every call a job makes, not just those up to its first request. It is not a test double: it keeps
 * nothing but the CreateTable requests, and answers every call with the smallest valid response of the
 * DynamoDB JSON protocol (writes succeed, reads find nothing, a created table is ACTIVE at once, with the
 * indexes and stream it was created with). Listens on 127.0.0.1 only, on a free port.
 */
final class TrainingDynamoDb implements AutoCloseable {

    private static final String TARGET_PREFIX = "DynamoDB_20120810.";

    private final ObjectMapper json = JsonMapper.builder().build();
    /** The CreateTable requests, by table name: DescribeTable answers with them, ACTIVE. */
    private final Map<String, JsonNode> tables = new ConcurrentHashMap<>();
    /** The calls made, by target, for the training log: a call not answered below shows up here. */
    final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private final HttpServer server;

    TrainingDynamoDb() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
            calls.merge(operation, 1, Integer::sum);
            JsonNode request = json.readTree(in.readAllBytes());
            ObjectNode response = json.createObjectNode();
            int status = 200;
            switch (operation) {
                case "ListTables" -> {
                    ArrayNode names = response.putArray("TableNames");
                    new TreeMap<>(tables).keySet().forEach(names::add);
                }
                case "CreateTable" -> {
                    String table = request.path("TableName").asString();
                    tables.put(table, request);
                    response.set("TableDescription", description(request));
                }
                case "DescribeTable" -> {
                    JsonNode created = tables.get(request.path("TableName").asString());
                    if (created == null) {
                        status = 400;
                        response.put("__type", "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
                        response.put("message", "Requested resource not found");
                    }
                    else {
                        response.set("Table", description(created));
                    }
                }
                case "BatchWriteItem" -> response.putObject("UnprocessedItems");
                case "BatchGetItem" -> {
                    response.putObject("Responses");
                    response.putObject("UnprocessedKeys");
                }
                case "Query", "Scan" -> {
                    response.putArray("Items");
                    response.put("Count", 0);
                    response.put("ScannedCount", 0);
                }
                case "PutItem", "GetItem", "UpdateItem", "DeleteItem" -> {
                    // Nothing stored, nothing found: the empty object is the whole valid answer.
                }
                default -> {
                    status = 400;
                    response.put("__type", "com.amazon.coral.service#UnknownOperationException");
                }
            }
            byte[] body = json.writeValueAsBytes(response);
            CRC32 crc = new CRC32();
            crc.update(body);
            // The SDK checks the body against x-amz-crc32, as it does with DynamoDB's answers.
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.getResponseHeaders().set("x-amz-crc32", Long.toString(crc.getValue()));
            exchange.getResponseHeaders().set("x-amzn-RequestId", "training");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The table as CreateTable asked for it, ACTIVE with its indexes ACTIVE. */
    private JsonNode description(JsonNode create) {
        ObjectNode table = (ObjectNode) create.deepCopy();
        String name = create.path("TableName").asString();
        table.put("TableStatus", "ACTIVE");
        table.put("TableArn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
        table.put("ItemCount", 0);
        table.put("TableSizeBytes", 0);
        table.put("CreationDateTime", System.currentTimeMillis() / 1000.0);
        onDemandThroughput(table);
        if (create.path("StreamSpecification").path("StreamEnabled").asBoolean()) {
            table.put("LatestStreamArn", "arn:aws:dynamodb:us-east-1:000000000000:table/" + name + "/stream/training");
        }
        if (table.path("BillingMode").isString()) {
            table.putObject("BillingModeSummary").put("BillingMode", table.remove("BillingMode").asString());
        }
        for (JsonNode index : table.path("GlobalSecondaryIndexes")) {
            ((ObjectNode) index).put("IndexStatus", "ACTIVE");
            onDemandThroughput((ObjectNode) index);
        }
        return table;
    }

    /** DynamoDB reports a PAY_PER_REQUEST table's (and index's) throughput as zero units. */
    private static void onDemandThroughput(ObjectNode description) {
        if (!description.has("ProvisionedThroughput")) {
            description.putObject("ProvisionedThroughput").put("ReadCapacityUnits", 0).put("WriteCapacityUnits", 0)
                    .put("NumberOfDecreasesToday", 0);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
