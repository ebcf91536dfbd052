package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.cruddur.batch.job.UsageException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Every schedule the project shows is one that {@code schedule} accepts: each jobs-config/*.yml that
 * defines {@code cruddur.scheduler.schedules}, and each YAML block with schedules in README.md and docs/,
 * is bound and checked exactly as {@code schedule} does at start (jobs, cron, zone, parameters,
 * placeholders, keep). A sample naming an unknown job or parameter fails the build here.
 */
class ScheduleSamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```ya?ml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyScheduleFileInJobsConfigIsAccepted() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of("jobs-config"))) {
            files = listing.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        List<String> checked = new ArrayList<>();
        for (Path file : files) {
            List<Scheduler.Schedule> schedules = schedules(file.toString(), Files.readAllBytes(file));
            if (!schedules.isEmpty()) {
                check(file.toString(), schedules);
                checked.add(file.getFileName().toString());
            }
        }
        assertThat(checked).contains("schedules.yml", "schedules-nightly-export.yml");
    }

    @Test
    void everyScheduleSampleInTheDocsIsAccepted() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        if (Files.isDirectory(Path.of("docs"))) {
            try (Stream<Path> walk = Files.walk(Path.of("docs"))) {
                walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        for (Path page : pages) {
            Matcher block = YAML_BLOCK.matcher(Files.readString(page));
            for (int n = 1; block.find(); n++) {
                if (block.group(1).contains("scheduler:")) {
                    String where = page + ", YAML block " + n;
                    check(where, schedules(where, block.group(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** The check has teeth: what a stale sample would hold is refused, naming the entry. */
    @Test
    void aSampleWithAnUnknownParameterOrPlaceholderIsRefused() throws IOException {
        String stale = """
                cruddur:
                  scheduler:
                    schedules:
                      - job: table-export
                        cron: "0 30 2 * * *"
                        parameters:
                          output: /exports/cruddur-messages
                """;
        assertThatThrownBy(() -> Scheduler.checkAll(schedules("stale", stale.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("cruddur.scheduler.schedules[0].parameters: table-export: unknown parameter 'output'");
        assertThatThrownBy(() -> Scheduler.checkAll(schedules("hour", stale.replace("output: /exports/cruddur-messages",
                "dir: /exports/{scheduled.hour}").getBytes(StandardCharsets.UTF_8))))
                .hasMessage("cruddur.scheduler.schedules[0].parameters.dir: unknown placeholder '{scheduled.hour}'; "
                        + "known: {scheduled.time}, {scheduled.date}");
    }

    @Test
    void keepNeedsAFolderPerRunAndTwoEntriesOfOneJobNeedNames() throws IOException {
        String base = """
                cruddur:
                  scheduler:
                    schedules:
                      - job: table-export
                        cron: "0 30 2 * * *"
                        keep: 3
                        parameters:
                          dir: DIR
                """;
        assertThatThrownBy(() -> Scheduler.checkAll(schedules("fixed", base.replace("DIR", "/exports/nightly")
                .getBytes(StandardCharsets.UTF_8))))
                .hasMessage("cruddur.scheduler.schedules[0].keep: needs {scheduled.time} or {scheduled.date} in the last "
                        + "part of dir and nowhere else (e.g. dir: /exports/nightly/{scheduled.time}), so each run has a "
                        + "folder of its own");
        assertThatThrownBy(() -> Scheduler.checkAll(schedules("s3", base.replace("DIR", "s3://bucket/exports/{scheduled.time}")
                .getBytes(StandardCharsets.UTF_8))))
                .hasMessage("cruddur.scheduler.schedules[0].keep: not for dir=s3://bucket/exports/{scheduled.time}; "
                        + "let the bucket's lifecycle rule expire old exports");
        String twice = base.replace("DIR", "/exports/a/{scheduled.time}") + """
                      - job: table-export
                        cron: "0 30 3 * * *"
                        parameters:
                          dir: /exports/b/{scheduled.time}
                """;
        assertThatThrownBy(() -> Scheduler.checkAll(schedules("twice", twice.getBytes(StandardCharsets.UTF_8))))
                .hasMessageStartingWith("cruddur.scheduler.schedules[1].name: 'table-export' is also the name of schedules[0]");
        assertThat(Scheduler.checkAll(schedules("named", twice.replace("      - job: table-export\n        cron: \"0 30 3",
                "      - name: table-export-b\n        job: table-export\n        cron: \"0 30 3")
                .getBytes(StandardCharsets.UTF_8)))).hasSize(2);
    }

    private static void check(String where, List<Scheduler.Schedule> schedules) {
        try {
            Scheduler.checkAll(schedules);
        }
        catch (UsageException e) {
            throw new AssertionError(where + ": " + e.getMessage(), e);
        }
    }

    /** The schedules of a YAML file as Spring Boot binds them (every document of the file, later ones winning). */
    static List<Scheduler.Schedule> schedules(String name, byte[] yaml) throws IOException {
        List<PropertySource<?>> documents = new ArrayList<>(new YamlPropertySourceLoader().load(name,
                new ByteArrayResource(yaml, name)));
        java.util.Collections.reverse(documents);
        return new Binder(ConfigurationPropertySources.from(documents))
                .bind(Scheduler.PREFIX + ".schedules", Bindable.listOf(Scheduler.Schedule.class)).orElse(List.of());
    }
}
