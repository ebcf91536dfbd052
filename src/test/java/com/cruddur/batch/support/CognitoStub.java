package com.cruddur.batch.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A STUB of the Cognito user pools API, not an emulator: a small HTTP server that answers
 * {@code ListUsers} in the AWS JSON 1.1 protocol to the real SDK client, for what cognito-local
 * cannot show: it returns every user in one page and ignores {@code Limit}. This one honours
 * {@code Limit} (at most 60, as Cognito), hands out opaque pagination tokens, and can answer with
 * the service's real errors: {@code TooManyRequestsException} (throttling) and
 * {@code InvalidParameterException} "Paging marker ... is invalid for request" (a token that
 * expired). It can also hold requests, so a test can kill a client while it waits for a page.
 */
public final class CognitoStub implements AutoCloseable {

    /** One user as ListUsers returns it. */
    public record User(String username, String sub, String preferredUsername, String name, String email) {

        /** A user signing in by email, so that Username is the sub (as in Cruddur's pool). */
        public static User of(String handle, String name) {
            String sub = UUID.randomUUID().toString();
            return new User(sub, sub, handle, name, handle + "@example.com");
        }
    }

    /** A request as received: its pagination token (null for the first page), Limit, and time. */
    public record Request(String token, Integer limit, long nanoTime, String answer) {
    }

    private static final Pattern TOKEN = Pattern.compile("\"PaginationToken\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern LIMIT = Pattern.compile("\"Limit\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    /** Copy-on-write: a test may delete a user between two listings. */
    private final List<User> users;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile int tokenGeneration = 1;
    private volatile int holdAfterPages = Integer.MAX_VALUE;
    private volatile int expireAfterPages = Integer.MAX_VALUE;
    private volatile int throttleAfterPages = Integer.MAX_VALUE;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger pagesServed = new AtomicInteger();

    public CognitoStub(List<User> users) {
        this.users = new CopyOnWriteArrayList<>(users);
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

    /** The next {@code n} requests are answered 400 TooManyRequestsException. */
    public void throttleNext(int n) {
        throttleNext.set(n);
    }

    /**
     * Deletes a user from the pool. The stub's tokens are offsets into the listing, so every user after
     * it moves one place forward, as users do in a real listing when one before them goes away.
     */
    public void deleteUser(String username) {
        users.removeIf(user -> user.username().equals(username));
    }

    /** Every token handed out so far becomes invalid, as Cognito's do after a while. */
    public void expireTokens() {
        tokenGeneration++;
    }

    /** Once {@code pages} pages were served, the tokens handed out so far expire (once). */
    public void expireTokensAfterPages(int pages) {
        expireAfterPages = pages;
    }

    /** After {@code pages} pages were served, further requests wait until {@link #release()}. */
    public void holdAfterPages(int pages) {
        holdAfterPages = pages;
    }

    /** After {@code pages} pages were served, every request is throttled until {@link #release()}. */
    public void throttleAfterPages(int pages) {
        throttleAfterPages = pages;
    }

    public void release() {
        holdAfterPages = Integer.MAX_VALUE;
        throttleAfterPages = Integer.MAX_VALUE;
        release.countDown();
    }

    public List<Request> requests() {
        return requests;
    }

    public int pagesServed() {
        return pagesServed.get();
    }

    /** The token that fetches the page starting at {@code offset}, as the stub hands it out now. */
    public String tokenFor(int offset) {
        return "stub-" + tokenGeneration + "-" + offset;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Matcher t = TOKEN.matcher(body);
            String token = t.find() ? t.group(1) : null;
            Matcher l = LIMIT.matcher(body);
            Integer limit = l.find() ? Integer.valueOf(l.group(1)) : null;
            if (target == null || !target.endsWith(".ListUsers")) {
                record(token, limit, "unsupported");
                reply(exchange, 400, error("InvalidParameterException", "the stub answers ListUsers only, not " + target));
                return;
            }
            if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || pagesServed.get() >= throttleAfterPages) {
                record(token, limit, "throttled");
                reply(exchange, 400, error("TooManyRequestsException", "Too many requests"));
                return;
            }
            // A held request is recorded once, on arrival; its client may be gone by the time it is let go.
            boolean held = pagesServed.get() >= holdAfterPages;
            if (held) {
                record(token, limit, "held");
                release.await(5, TimeUnit.MINUTES);
            }
            int offset = 0;
            if (token != null) {
                String prefix = "stub-" + tokenGeneration + "-";
                if (!token.startsWith(prefix)) {
                    if (!held) {
                        record(token, limit, "invalid token");
                    }
                    reply(exchange, 400, error("InvalidParameterException", "Paging marker " + token
                            + " is invalid for request " + UUID.randomUUID()));
                    return;
                }
                offset = Integer.parseInt(token.substring(prefix.length()));
            }
            int size = limit == null || limit == 0 ? 60 : Math.min(limit, 60);
            List<User> listing = List.copyOf(users);
            int end = Math.min(listing.size(), offset + size);
            List<String> page = new ArrayList<>();
            for (User user : listing.subList(Math.min(offset, end), end)) {
                page.add(json(user));
            }
            String next = end < listing.size() ? ",\"PaginationToken\":\"" + tokenFor(end) + "\"" : "";
            if (!held) {
                record(token, limit, "page " + offset + "-" + end);
            }
            if (pagesServed.incrementAndGet() == expireAfterPages) {
                tokenGeneration++;
            }
            reply(exchange, 200, "{\"Users\":[" + String.join(",", page) + "]" + next + "}");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(String token, Integer limit, String answer) {
        requests.add(new Request(token, limit, System.nanoTime(), answer));
    }

    private static String json(User user) {
        List<String> attributes = new ArrayList<>();
        attributes.add(attribute("sub", user.sub()));
        if (user.preferredUsername() != null) {
            attributes.add(attribute("preferred_username", user.preferredUsername()));
        }
        if (user.name() != null) {
            attributes.add(attribute("name", user.name()));
        }
        if (user.email() != null) {
            attributes.add(attribute("email", user.email()));
        }
        return "{\"Username\":\"" + user.username() + "\",\"Attributes\":[" + String.join(",", attributes)
                + "],\"Enabled\":true,\"UserStatus\":\"CONFIRMED\",\"UserCreateDate\":1767225600.0,"
                + "\"UserLastModifiedDate\":1767225600.0}";
    }

    private static String attribute(String name, String value) {
        return "{\"Name\":\"" + name + "\",\"Value\":\"" + value + "\"}";
    }

    private static String error(String type, String message) {
        return "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
