package com.cruddur.batch.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real emulators, from the pinned npm install (package-lock.json): dynalite for DynamoDB,
 * cognito-local for Cognito and s3rver for S3. Each starts once per test JVM, on a free port, in memory (dynalite) or
 * in a temp folder (cognito-local, s3rver), and is stopped by PID when the JVM exits.
 */
public final class Emulators {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static Process dynalite;
    private static URI dynaliteEndpoint;
    private static Process cognito;
    private static URI cognitoEndpoint;
    private static Path cognitoData;
    private static final List<Path> extraCognitoPools = new ArrayList<>();
    private static Process s3rver;
    private static URI s3rverEndpoint;
    private static Path s3rverData;

    private Emulators() {
    }

    /** dynalite in memory on a free port; started on first use. */
    public static synchronized URI dynalite() {
        if (dynaliteEndpoint == null) {
            int port = freePort();
            // Short create/delete delays keep schema tests fast; the wait logic still sees CREATING first.
            dynalite = start("dynalite", PROJECT, Map.of(), node("dynalite/cli.js"), "--host", "127.0.0.1", "--port",
                    String.valueOf(port), "--createTableMs", "50", "--deleteTableMs", "50", "--updateTableMs", "50");
            dynaliteEndpoint = awaitPort("dynalite", dynalite, port);
        }
        return dynaliteEndpoint;
    }

    /**
     * s3rver on a free port with a fresh temp data folder; started on first use. Buckets are created through
     * the SDK (AwsClients.s3). It checks request signatures against its own key, S3RVER/S3RVER.
     */
    public static synchronized URI s3rver() {
        if (s3rverEndpoint == null) {
            Path data;
            try {
                data = Files.createTempDirectory("s3rver");
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
            s3rverData = data;
            int port = freePort();
            s3rver = start("s3rver", PROJECT, Map.of(), node("s3rver/bin/s3rver.js"), "--directory", data.toString(),
                    "--address", "127.0.0.1", "--port", String.valueOf(port), "--silent");
            s3rverEndpoint = awaitPort("s3rver", s3rver, port);
        }
        return s3rverEndpoint;
    }

    /** The folder where s3rver keeps its buckets (and, per bucket, its unfinished multipart uploads). */
    public static synchronized Path s3rverDirectory() {
        s3rver();
        return s3rverData;
    }

    /**
     * Adds a pool file ({@code <pool-id>.json}) to those cognito-local loads at start; it reads pool
     * files only then. For large seeded pools (benchmarks), which AdminCreateUser would make slowly.
     */
    public static synchronized void addCognitoPool(Path poolFile) {
        if (cognitoEndpoint != null) {
            throw new IllegalStateException("cognito-local is already running; add pools before its first use");
        }
        extraCognitoPools.add(poolFile);
    }

    /** cognito-local on a free port with the repository's seed pools copied into a fresh data folder. */
    public static synchronized URI cognitoLocal() {
        if (cognitoEndpoint == null) {
            try {
                cognitoData = Files.createTempDirectory("cognito-local");
                Path db = Files.createDirectories(cognitoData.resolve(".cognito/db"));
                try (var pools = Files.list(PROJECT.resolve("emulators/cognito"))) {
                    for (Path pool : pools.toList()) {
                        Files.copy(pool, db.resolve(pool.getFileName()));
                    }
                }
                for (Path pool : extraCognitoPools) {
                    Files.copy(pool, db.resolve(pool.getFileName()));
                }
            }
            catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int port = freePort();
            cognito = start("cognito-local", cognitoData, Map.of("HOST", "127.0.0.1", "PORT", String.valueOf(port)),
                    node("cognito-local/lib/bin/start.js"));
            cognitoEndpoint = awaitPort("cognito-local", cognito, port);
        }
        return cognitoEndpoint;
    }

    /** The folder holding cognito-local's pool files ({@code <pool-id>.json}). */
    public static Path cognitoDataDirectory() {
        cognitoLocal();
        return cognitoData.resolve(".cognito/db");
    }

    private static String node(String script) {
        Path path = PROJECT.resolve("node_modules").resolve(script);
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run 'npm ci' in the project root (.ci/run does)");
        }
        return path.toString();
    }

    private static Process start(String name, Path dir, Map<String, String> env, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        try {
            File log = Files.createTempFile(name, ".log").toFile();
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log);
            builder.environment().putAll(env);
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.destroy();
                try {
                    process.waitFor();
                }
                catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }));
            return process;
        }
        catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    private static URI awaitPort(String name, Process process, int port) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return URI.create("http://127.0.0.1:" + port);
            }
            catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new IllegalStateException(name + " did not listen on port " + port + " within 30 s");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
