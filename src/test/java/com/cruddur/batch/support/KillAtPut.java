package com.cruddur.batch.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
    private final Predicate<List<String>> when;
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Process child;

    /** Kills at the n-th PutObject. */
    public KillAtPut(AwsProxy proxy, int n) {
        this(proxy, keys -> keys.size() == n);
    }

    /**
     * Kills at the first PutObject for which {@code when} holds, given the keys put so far, this put's last
     * (e.g. the second put of the second object put).
     */
    public KillAtPut(AwsProxy proxy, Predicate<List<String>> when) {
        this.proxy = proxy;
        this.when = when;
    }

    /** The process to kill; set before it can reach its n-th put. */
    public void child(Process process) {
        this.child = process;
    }

    /** PutObject requests seen so far. */
    public int puts() {
        return keys.size();
    }

    /** The keys of the PutObject requests seen so far, in order (the kill's last). */
    public List<String> keys() {
        return List.copyOf(keys);
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
        if (!operation.equals("PutObject") || done.getCount() == 0) {
            return null;
        }
        // Recorded before this fault is asked; the child puts one object at a time.
        AwsProxy.Request put = proxy.requests().stream().filter(r -> r.operation().equals("PutObject"))
                .reduce((first, second) -> second).orElseThrow();
        String path = URI.create(put.uri()).getPath();
        int slash = path.indexOf('/', 1);
        keys.add(path.substring(slash + 1));
        if (!when.test(List.copyOf(keys))) {
            return null;
        }
        try {
            child.destroyForcibly().waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        AwsClients.s3().putObject(b -> b.bucket(path.substring(1, slash)).key(path.substring(slash + 1)),
                RequestBody.fromString(body, StandardCharsets.UTF_8));
        done.countDown();
        return new AwsProxy.Response(200, "");
    }
}
