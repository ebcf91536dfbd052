package com.cruddur.batch.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.support.Cli;

/** The real launcher as a separate JVM (as {@code java -jar} runs it), for SIGTERM and multi-process tests. */
final class ChildLauncher {

    final Process process;
    final Path output;

    private ChildLauncher(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ChildLauncher start(Cli cli, List<String> extraProperties, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CruddurBatch.class.getName()));
        command.addAll(List.of(args));
        command.add("--config=jobs-config");
        for (String key : List.of("spring.datasource.url", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL")) {
            if (cli.property(key) != null) {
                command.add("--" + key + "=" + cli.property(key));
            }
        }
        command.addAll(extraProperties);
        Path output = Files.createTempFile("cruddur-batch-child", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new ChildLauncher(process, output);
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
