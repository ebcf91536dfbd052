package com.cruddur.batch.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The training run of the JDK AOT cache ({@code -XX:AOTCacheOutput}, scripts/cruddur-batch and the
 * Dockerfile): one JVM runs the launches a cache should serve, so that it holds the classes, linked call
 * sites and method profiles of all of them; a cache made from one job's launch leaves the next job to load
 * hundreds of classes from the jars. Each launch runs to its end against {@link TrainingDynamoDb}, a
 * stand-in that answers the DynamoDB protocol on 127.0.0.1, on a job repository in a throw-away folder:
 * it needs no network and leaves nothing behind. Must run with the classpath the launches use (the same jar).
 * <pre>java -XX:AOTCacheOutput=app.aot -cp cruddur-batch.jar com.cruddur.batch.launch.StartupTraining WORK-DIR CONFIG-DIR</pre>
 */
public final class StartupTraining {

    /** The launches trained: a one-request job, and ci-data-setup of the shipped seed (schema, seeds). */
    static final List<List<String>> LAUNCHES = List.of(List.of("list-tables"),
            List.of("ci-data-setup"));

    /**
     * The clients make their TLS part on the first https connection only (against AWS, not the plain-http
     * emulators): a last list-tables against an unreachable https endpoint makes it, so that its classes
     * are in the cache too; that launch fails, as expected.
     */
    static final String HTTPS_ENDPOINT = "https://127.0.0.1:1";

    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StartupTraining WORK-DIR CONFIG-DIR");
            System.exit(2);
        }
        CruddurBatch.namedLogFactory();
        train(Path.of(args[0]), args[1]);
        // A launch that failed still trained the cache up to where it failed: the cache is made all the same.
        System.exit(0);
    }

    /** Runs the launches; returns their exit codes, in order, the https list-tables last. */
    static List<Integer> train(Path workDir, String config) throws IOException {
        Path work = workDir.toAbsolutePath();
        Files.createDirectories(work);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<Integer> exits = new ArrayList<>();
        try (TrainingDynamoDb dynamoDb = new TrainingDynamoDb()) {
            for (List<String> launch : LAUNCHES) {
                exits.add(run(launch, work, config, dynamoDb.endpoint(), quiet));
            }
            System.err.println("training: DynamoDB calls answered: " + new TreeMap<>(dynamoDb.calls));
        }
        exits.add(run(List.of("list-tables"), work, config, HTTPS_ENDPOINT, quiet));
        return exits;
    }

    private static int run(List<String> launch, Path work, String config, String dynamodbEndpoint, PrintStream quiet) {
        List<String> line = new ArrayList<>(launch);
        line.addAll(List.of("--config=" + config,
                // The default job repository (an H2 file with a TCP server for other processes), in the work folder.
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("data/cruddur-batch")
                        + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--cruddur.aws.max-attempts=1", "--cruddur.dynamodb.endpoint=" + dynamodbEndpoint,
                "--cruddur.cognito.endpoint=http://127.0.0.1:1",
                // Training figures must not reach the operator's metrics file or Pushgateway.
                "--cruddur.metrics.file=", "--" + MetricsFile.PUSHGATEWAY + ".enabled=false"));
        if (launch.get(0).equals("ci-data-setup")) {
            line.add(1, "rejects-dir=" + work.resolve("rejects"));
        }
        int exit = new Launcher(quiet, System.err).run(line.toArray(String[]::new));
        System.err.println("training: " + String.join(" ", launch) + " against " + dynamodbEndpoint
                + " ended with exit code " + exit);
        return exit;
    }
}
