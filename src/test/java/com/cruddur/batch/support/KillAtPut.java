package com.cruddur.batch.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An {@link AwsProxy} fault for kill -9 tests of what a job puts to S3: at the n-th PutObject it kills the
 * child JVM (SIGKILL), then puts that request's body into the real server (s3rver) itself, so S3 holds what
 * the killed process sent last without the process ever learning it arrived (its commit never happens).
 * The put is done here, not forwarded after the answer, so that {@link #await} returns only once the object
 * is complete. Bodies are text (rejects CSV), sent plain to a local endpoint (see S3Objects).
 */
public final class KillAtPut implements AwsProxy.Fault {

    private final AwsProxy proxy;
    private final int n;
    private final AtomicInteger puts = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Process child;

    public KillAtPut(AwsProxy proxy, int n) {
        this.proxy = proxy;
        this.n = n;
    }

    /** The process to kill; set before it can reach its n-th put. */
    public void child(Process process) {
        this.child = process;
    }

    /** PutObject requests seen so far. */
    public int puts() {
        return puts.get();
    }

    /** Waits until the child is killed and the n-th put is in S3. */
    public boolean await(long seconds) throws InterruptedException {
        return done.await(seconds, TimeUnit.SECONDS);
    }

    /**
     * A killed process cannot remove its temp files: removes those in the temp folder whose name starts with
     * {@code prefix} and whose text holds {@code marker} (something only the killed child wrote, e.g. the path
     * of its input), and no other, as other test runs on this machine share the folder.
     */
    public static void removeTempFiles(String prefix, String marker) throws IOException {
        List<Path> candidates;
        try (var temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            candidates = temps.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
        for (Path candidate : candidates) {
            try {
                if (Files.readString(candidate, StandardCharsets.UTF_8).contains(marker)) {
                    Files.deleteIfExists(candidate);
                }
            }
            catch (IOException goneOrNotOurs) {
                // removed meanwhile by its own run, or not text
            }
        }
    }

    @Override
    public AwsProxy.Response answer(String operation, String body) {
        if (!operation.equals("PutObject") || puts.incrementAndGet() != n) {
            return null;
        }
        try {
            child.destroyForcibly().waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        // Recorded before this fault is asked; the child puts one object at a time.
        List<AwsProxy.Request> requests = proxy.requests();
        AwsProxy.Request put = requests.stream().filter(r -> r.operation().equals("PutObject"))
                .reduce((first, second) -> second).orElseThrow();
        String path = URI.create(put.uri()).getPath();
        int slash = path.indexOf('/', 1);
        AwsClients.s3().putObject(b -> b.bucket(path.substring(1, slash)).key(path.substring(slash + 1)),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
        done.countDown();
        return new AwsProxy.Response(200, "");
    }
}
