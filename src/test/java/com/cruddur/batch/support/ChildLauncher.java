package com.cruddur.batch.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.launch.CruddurBatch;

/**
 * The real launcher as a separate JVM (as {@code java -jar} runs it), for the tests that kill it, send
 * it SIGTERM or run two at once. It gets the same arguments and properties as {@link Cli#run} would
 * (job repository, endpoints, anything set with {@link Cli#property}); its stdout and stderr go to
 * {@link #output}.
 */
public final class ChildLauncher {

    public final Process process;
    public final Path output;

    private ChildLauncher(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static ChildLauncher start(Cli cli, String... args) throws IOException {
        return start(cli, List.of(), args);
    }

    /** @param extraArguments more {@code --key=value} arguments, after the Cli's own */
    public static ChildLauncher start(Cli cli, List<String> extraArguments, String... args) throws IOException {
        // C1 only and CDS: these children live for seconds, so start-up is most of their time.
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CruddurBatch.class.getName()));
        command.addAll(cli.arguments(args));
        command.addAll(extraArguments);
        Path output = Files.createTempFile("cruddur-batch-child", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new ChildLauncher(process, output);
    }

    /** What the child printed so far. */
    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
