package com.cruddur.batch.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A protocol-level stand-in in front of the tests' real s3rver, for what s3rver 3.7.1 does not implement:
 * ListMultipartUploads ({@code GET /bucket?uploads} answers NotImplemented) and AbortMultipartUpload
 * ({@code DELETE /bucket/key?uploadId=} answers MethodNotAllowed). Both are answered here from s3rver's
 * own record of its unfinished uploads, the folders {@code <data>/<bucket>/._S3rver_uploads/<uploadId>}
 * (holding the key and the parts), which CreateMultipartUpload makes and CompleteMultipartUpload removes:
 * the list is what s3rver really holds, and an abort removes exactly what S3 would drop. Every other
 * request goes to s3rver unchanged (s3rver checks the access key of a SigV4 request, not its signature, so
 * the changed Host does not matter). {@link #down} makes it act as a stopped server (connections closed
 * without an answer), {@link #deny} as an S3 whose policy refuses some requests.
 */
public final class S3UploadsProxy implements AutoCloseable {

    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "transfer-encoding",
            "expect", "upgrade", "date");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Path data;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> encrypted = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile Predicate<String> denied = request -> false;

    public S3UploadsProxy() {
        this.target = Emulators.s3rver();
        this.data = Emulators.s3rverDirectory();
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

    /** While true, every request is dropped unanswered, as by a server that was stopped. */
    public void down(boolean down) {
        this.down = down;
    }

    /**
     * Requests ("METHOD path?query") to answer with S3's 403 AccessDenied, as S3 answers a role whose policy
     * does not allow them; s3rver itself enforces no policies.
     */
    public void deny(Predicate<String> requests) {
        this.denied = requests;
    }

    /** "METHOD path?query body-bytes" of every request, in order. */
    public List<String> requests() {
        return requests;
    }

    /**
     * "METHOD path?query value" of every request that asked for server-side encryption (its
     * x-amz-server-side-encryption header), in order: s3rver accepts the header but does not report it.
     */
    public List<String> encrypted() {
        return encrypted;
    }

    /** The unfinished multipart uploads s3rver holds for {@code bucket}: upload id -> key. */
    public Map<String, String> uploads(String bucket) throws IOException {
        Map<String, String> uploads = new LinkedHashMap<>();
        Path dir = data.resolve(bucket).resolve("._S3rver_uploads");
        if (!Files.isDirectory(dir)) {
            return uploads;
        }
        try (Stream<Path> ids = Files.list(dir)) {
            for (Path upload : ids.sorted().toList()) {
                Path key = upload.resolve("key");
                if (Files.exists(key)) {
                    uploads.put(upload.getFileName().toString(), Files.readString(key));
                }
            }
        }
        return uploads;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            byte[] request = exchange.getRequestBody().readAllBytes();
            requests.add(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " " + request.length);
            String sse = exchange.getRequestHeaders().getFirst("x-amz-server-side-encryption");
            if (sse != null) {
                encrypted.add(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        + " " + sse);
            }
            if (down) {
                return; // closed without a response
            }
            if (denied.test(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))) {
                reply(exchange, 403, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>Access Denied</Message></Error>");
                return;
            }
            Map<String, String> query = query(uri.getRawQuery());
            List<String> path = List.of(uri.getRawPath().substring(1).split("/", 2));
            if (method.equals("GET") && path.size() == 1 && query.containsKey("uploads")) {
                listUploads(exchange, decode(path.get(0)), query.getOrDefault("prefix", ""));
                return;
            }
            if (method.equals("DELETE") && path.size() == 2 && query.containsKey("uploadId")) {
                abort(exchange, decode(path.get(0)), query.get("uploadId"));
                return;
            }
            forward(exchange, request);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listUploads(HttpExchange exchange, String bucket, String prefix) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<ListMultipartUploadsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>")
                .append(bucket).append("</Bucket><Prefix>").append(escape(prefix))
                .append("</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>");
        for (Map.Entry<String, String> upload : uploads(bucket).entrySet()) {
            if (upload.getValue().startsWith(prefix)) {
                xml.append("<Upload><Key>").append(escape(upload.getValue())).append("</Key><UploadId>")
                        .append(upload.getKey()).append("</UploadId></Upload>");
            }
        }
        xml.append("</ListMultipartUploadsResult>");
        reply(exchange, 200, xml.toString());
    }

    private void abort(HttpExchange exchange, String bucket, String uploadId) throws IOException {
        Path upload = data.resolve(bucket).resolve("._S3rver_uploads").resolve(uploadId);
        if (uploadId.contains("/") || uploadId.contains("..") || !Files.isDirectory(upload)) {
            reply(exchange, 404, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchUpload</Code>"
                    + "<Message>The specified upload does not exist.</Message></Error>");
            return;
        }
        try (Stream<Path> files = Files.walk(upload)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(file);
            }
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void forward(HttpExchange exchange, byte[] request) throws IOException, InterruptedException {
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
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (head) {
            response.headers().firstValue("Content-Length")
                    .ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
        }
        exchange.sendResponseHeaders(response.statusCode(), head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
