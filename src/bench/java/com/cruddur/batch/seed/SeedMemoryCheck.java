package com.cruddur.batch.seed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.launch.CruddurBatch;
import com.cruddur.batch.support.Emulators;

/**
 * Memory check (not a test): {@code ci-data-setup} on a generated file of {@code messages} rows, in a child
 * JVM with {@code -Xmx<heap>} and a GC log, against dynalite. Prints the job's summary and the heap after
 * each GC in the first and last quarter of the run: streaming means the late figures are no higher than
 * the early ones. Run with {@code scripts/seed-benchmark.sh memory [messages] [groups] [heap]}.
 */
public final class SeedMemoryCheck {

    private static final Pattern AFTER_GC = Pattern.compile("\\[([0-9.]+)s\\].*Pause.*->([0-9]+)M\\(([0-9]+)M\\)");

    private SeedMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String heap = args.length > 2 ? args[2] : "256m";
        Path dir = Files.createTempDirectory("seed-memory");
        ConversationCsvGenerator.write(dir, messages, groups);
        System.out.printf(Locale.ROOT, "generated %d messages in %d groups (%d MB CSV)%n", messages, groups,
                Files.size(dir.resolve("conversations.csv")) >> 20);
        Path gcLog = dir.resolve("gc.log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"),
                CruddurBatch.class.getName(), "ci-data-setup", "table=memory-" + System.nanoTime(),
                "users=" + dir.resolve("users.csv"), "conversations=" + dir.resolve("conversations.csv"),
                "rejects-dir=" + dir.resolve("rejects"), "--config=jobs-config",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("repo")
                        + ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--AWS_ENDPOINT_URL_DYNAMODB=" + Emulators.dynalite()));
        long start = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectError(dir.resolve("stderr.log").toFile())
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        int exit = child.waitFor();
        System.out.printf(Locale.ROOT, "exit %d after %.0fs with -Xmx%s%n", exit, (System.nanoTime() - start) / 1e9, heap);

        List<double[]> points = new ArrayList<>();
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = AFTER_GC.matcher(line);
            if (m.find()) {
                points.add(new double[] { Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                        Double.parseDouble(m.group(3)) });
            }
        }
        if (points.size() >= 8) {
            int q = points.size() / 4;
            System.out.printf(Locale.ROOT, "%d GCs; heap after GC: first quarter max %.0f MB, last quarter max %.0f MB, "
                    + "overall max %.0f MB, committed max %.0f MB%n", points.size(), max(points.subList(0, q), 1),
                    max(points.subList(points.size() - q, points.size()), 1), max(points, 1), max(points, 2));
        }
        else {
            System.out.println(points.size() + " GCs logged in " + gcLog);
        }
        System.exit(exit);
    }

    private static double max(List<double[]> points, int column) {
        return points.stream().mapToDouble(p -> p[column]).max().orElse(0);
    }
}
