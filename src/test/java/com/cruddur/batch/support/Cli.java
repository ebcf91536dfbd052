package com.cruddur.batch.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.launch.Launcher;

/**
 * Runs the real command line in-process, as {@code java -jar cruddur-batch.jar ...} would, against
 * the repository's jobs-config, the emulators and a job repository of the test's own (an H2 file in
 * a temp folder unless a JDBC URL is given).
 */
public final class Cli {

    private final Map<String, String> properties = new LinkedHashMap<>();

    public Cli() {
        try {
            Path dir = Files.createTempDirectory("cruddur-batch-test");
            jdbcUrl("jdbc:h2:file:" + dir.resolve("repo") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // The standard variable, as a user would set it; wins over jobs-config's endpoint.
        property("AWS_ENDPOINT_URL_DYNAMODB", Emulators.dynalite().toString());
        property("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
    }

    public Cli jdbcUrl(String url) {
        return property("spring.datasource.url", url);
    }

    public Cli withCognito() {
        return property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", Emulators.cognitoLocal().toString());
    }

    public Cli property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public String property(String key) {
        return properties.get(key);
    }

    public Result run(String... args) {
        List<String> all = arguments(args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The launcher's command line for these arguments: them, the config folder and every property. */
    public List<String> arguments(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (all.stream().noneMatch(a -> a.startsWith("--config="))) {
            all.add("--config=jobs-config");
        }
        properties.forEach((k, v) -> all.add("--" + k + "=" + v));
        return all;
    }

    public record Result(int exitCode, String out, String err) {

        public List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
