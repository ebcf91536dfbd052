package com.cruddur.batch.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A protocol-level stand-in between the real SDK client and a real emulator: it forwards AWS JSON
 * requests unchanged, unless a {@link Fault} answers one itself with the service's real error
 * response (throttling, UnprocessedItems, an endpoint that is down). It exists for the behaviour
 * the emulators cannot show; tests that use it say so.
 */
public final class AwsProxy implements AutoCloseable {

    /** Decides per request; returns null to forward it to the emulator. */
    @FunctionalInterface
    public interface Fault {
        Response answer(String operation, String body);
    }

    public record Response(int status, String body) {

        /** The AWS JSON error shape the SDK parses into a typed exception. */
        public static Response error(int status, String type, String message) {
            return new Response(status, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + type
                    + "\",\"message\":\"" + message + "\"}");
        }
    }

    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private volatile Fault fault = (operation, body) -> null;

    public AwsProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void fault(Fault fault) {
        this.fault = fault;
    }

    /** Operation names (e.g. CreateTable) in the order received, faulted or not. */
    public List<String> operations() {
        return operations;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            operations.add(operation);
            Response canned = fault.answer(operation, new String(request, StandardCharsets.UTF_8));
            if (canned != null) {
                reply(exchange, canned.status(), "application/x-amz-json-1.0",
                        canned.body().getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(request));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<InputStream> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            reply(exchange, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.0"), body);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
