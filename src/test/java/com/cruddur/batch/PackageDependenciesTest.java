package com.cruddur.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The layout rules of the main sources, read from their import lines: jobs reach the launcher only
 * through {@code job/}, and {@code dynamodb/} stays a module of its own.
 */
class PackageDependenciesTest {

    private static final Path MAIN = Path.of("src/main/java/com/cruddur/batch");
    private static final Pattern PROJECT_IMPORT = Pattern.compile("^import (?:static )?com\\.cruddur\\.batch\\.(\\w+)",
            Pattern.MULTILINE);
    private static final List<String> JOB_PACKAGES = List.of("schema", "seed", "export", "cognito", "replay", "job",
            "messages", "users", "rejects", "input", "aws", "dynamodb", "partition", "item");

    @Test
    void noJobPackageImportsTheLauncher() throws IOException {
        assertThat(importsOf(JOB_PACKAGES, "launch")).isEmpty();
    }

    @Test
    void dynamoDbImportsNothingOfTheProject() throws IOException {
        // Any package of the project, the root one and packages added later included.
        Pattern outside = Pattern.compile("^import (?:static )?(com\\.cruddur\\.batch\\.(?!dynamodb\\.)[\\w.]+)",
                Pattern.MULTILINE);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN.resolve("dynamodb"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = outside.matcher(Files.readString(file));
                while (m.find()) {
                    found.add(MAIN.relativize(file) + " imports " + m.group(1));
                }
            }
        }
        assertThat(found).isEmpty();
    }

    /** "file imports package" for every file under {@code packages} that imports {@code target}. */
    private static List<String> importsOf(List<String> packages, String target) throws IOException {
        List<String> found = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = MAIN.resolve(pkg);
            assertThat(dir).as("package %s", pkg).isDirectory();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher m = PROJECT_IMPORT.matcher(Files.readString(file));
                    while (m.find()) {
                        if (m.group(1).equals(target)) {
                            found.add(MAIN.relativize(file) + " imports " + target);
                        }
                    }
                }
            }
        }
        return found;
    }
}
