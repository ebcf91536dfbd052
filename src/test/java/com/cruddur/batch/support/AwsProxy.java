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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.BinaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A protocol-level stand-in between the real SDK client and a real emulator: it forwards AWS JSON
 * requests unchanged, unless a {@link Fault} answers one itself with the service's real error
 * response (throttling, UnprocessedItems, an endpoint that is down). It exists for the behaviour
 * the emulators cannot show; tests that use it say so.
 * <p>
 * S3's REST requests (no X-Amz-Target) are forwarded too, named by their operation (PutObject, UploadPart,
 * ...; see {@link #s3Operation}), with the response headers S3 clients read (ETag, x-amz-*), and every
 * request's headers are kept ({@link #requests()}) to check what a client asked for (e.g. encryption).
 */
public final class AwsProxy implements AutoCloseable {

    /** Decides per request; returns null to forward it to the emulator. */
    @FunctionalInterface
    public interface Fault {
        Response answer(String operation, String body);
    }

    /** A request as received: its operation, method, path with query, and headers (names in lower case). */
    public record Request(String operation, String method, String uri, Map<String, String> headers) {
    }

    public record Response(int status, String body) {

        /** S3's XML error shape. */
        public static Response s3Error(int status, String code, String message) {
            return new Response(status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                    + "</Code><Message>" + message + "</Message></Error>");
        }

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
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Fault fault = (operation, body) -> null;
    private volatile BinaryOperator<String> rewrite = (operation, body) -> body;

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

    /**
     * Changes the emulator's JSON answers (operation, body -> body), for what the emulator does not model, e.g. a
     * table's LatestStreamArn (dynalite has no streams).
     */
    public void rewrite(BinaryOperator<String> rewrite) {
        this.rewrite = rewrite;
    }

    /** Operation names (e.g. CreateTable) in the order received, faulted or not. */
    public List<String> operations() {
        return operations;
    }

    /** Every request received, faulted or not, in order. */
    public List<Request> requests() {
        return requests;
    }

    /** The S3 REST operation of a request without X-Amz-Target (path-style: /bucket or /bucket/key). */
    static String s3Operation(String method, URI uri) {
        String query = uri.getRawQuery() == null ? "" : "&" + uri.getRawQuery() + "&";
        boolean object = uri.getRawPath().indexOf('/', 1) > 0;
        return switch (method) {
            case "POST" -> query.contains("&uploads") ? "CreateMultipartUpload"
                    : query.contains("&uploadId=") ? "CompleteMultipartUpload" : "POST";
            case "PUT" -> query.contains("&uploadId=") ? "UploadPart" : object ? "PutObject" : "CreateBucket";
            case "DELETE" -> query.contains("&uploadId=") ? "AbortMultipartUpload" : object ? "DeleteObject" : "DeleteBucket";
            case "HEAD" -> object ? "HeadObject" : "HeadBucket";
            case "GET" -> query.contains("&uploadId=") ? "ListParts" : object ? "GetObject"
                    : query.contains("&uploads") ? "ListMultipartUploads" : "ListObjects";
            default -> method;
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? s3Operation(exchange.getRequestMethod(), exchange.getRequestURI())
                    : amzTarget.substring(amzTarget.indexOf('.') + 1);
            operations.add(operation);
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            requests.add(new Request(operation, exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(headers)));
            Response canned = fault.answer(operation, new String(request, StandardCharsets.UTF_8));
            if (canned != null) {
                reply(exchange, canned.status(), canned.body().startsWith("<") ? "application/xml"
                        : "application/x-amz-json-1.0", canned.body().getBytes(StandardCharsets.UTF_8));
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
            if (amzTarget != null) {
                body = rewrite.apply(operation, new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            }
            if (amzTarget == null) {
                // S3 answers in headers too: the ETag of a part or object, x-amz-* (encryption, version id).
                response.headers().map().forEach((name, values) -> {
                    if (name.equalsIgnoreCase("ETag") || name.toLowerCase().startsWith("x-amz-")
                            || exchange.getRequestMethod().equals("HEAD") && name.equalsIgnoreCase("Content-Length")) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
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
