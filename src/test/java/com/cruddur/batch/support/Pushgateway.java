package com.cruddur.batch.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway) on a free port, keeping what is pushed
 * in memory only; {@link #close} stops it.
 */
public final class Pushgateway implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String address;
    private final Process process;

    public Pushgateway() throws IOException, InterruptedException {
        address = "127.0.0.1:" + Emulators.freePort();
        Path log = Files.createTempFile("pushgateway", ".log");
        // An empty persistence file keeps metrics in memory: each start begins empty.
        process = new ProcessBuilder("prometheus-pushgateway", "--web.listen-address=" + address, "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroy();
                throw new IllegalStateException("prometheus-pushgateway did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    /** host:port, as the Pushgateway address property takes it. */
    public String address() {
        return address;
    }

    /** Everything pushed so far, in Prometheus' text format. */
    public String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        process.destroy();
    }
}
