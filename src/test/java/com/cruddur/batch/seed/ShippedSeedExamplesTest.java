package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.cruddur.batch.launch.JobCatalog;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * The read-pattern examples of {@code --help} (and of the README, which shows the same commands) work as
 * written against the shipped seed (seed-csv/): a user who runs ci-data-setup and then copies the example
 * gets rows, not "no such user".
 */
class ShippedSeedExamplesTest {

    private static final String JAR = "java -jar target/cruddur-batch.jar ";

    @Test
    void theHelpExamplesOfTheExportJobsReturnTheShippedSeedsRowsAndTheDocsShowTheSameCommands() throws Exception {
        String table = "examples-" + System.nanoTime();
        Cli cli = new Cli();
        ok(cli.run("ci-data-setup", "table=" + table));
        String docs = docs();

        Cli.Result conversation = ok(cli.run(example("conversation-export", table)));
        assertThat(conversation.out()).contains("@lena", "@marco", "read 100, written 100");

        Cli.Result groups = ok(cli.run(example("message-group-export", table)));
        assertThat(groups.out()).contains("@marco (Marco Lindqvist)", "@yuki (Yuki Sato)", "read 2, written 2");

        for (String job : List.of("conversation-export", "message-group-export")) {
            assertThat(docs).as("the docs show the --help example of %s", job)
                    .contains("$ " + JobCatalog.find(job).orElseThrow().example());
        }
    }

    /** The job's --help example as a command line, against the test's table. */
    private static String[] example(String job, String table) {
        String example = JobCatalog.find(job).orElseThrow().example();
        assertThat(example).startsWith(JAR + job + " ");
        List<String> args = new ArrayList<>(List.of(example.substring(JAR.length()).split(" ")));
        args.add("table=" + table);
        return args.toArray(String[]::new);
    }

    /** README.md and every page under docs/, wherever the job documentation ends up. */
    private static String docs() throws Exception {
        StringBuilder all = new StringBuilder(Files.readString(Path.of("README.md")));
        if (Files.isDirectory(Path.of("docs"))) {
            try (Stream<Path> pages = Files.walk(Path.of("docs"))) {
                for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) {
                    all.append('\n').append(Files.readString(page));
                }
            }
        }
        return all.toString();
    }
}
