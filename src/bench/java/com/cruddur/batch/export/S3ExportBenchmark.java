package com.cruddur.batch.export;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * table-export to S3 (a local s3rver) against table-export to local files, in the same JVM and the same
 * run, on demand (not a test). After warm-up rounds that are not counted, each round exports the same
 * table to a fresh folder and to a fresh prefix, alternating which goes first; the medians of the whole
 * launch and of the scan step (from the job repository) and their ratios (S3 time / local time) are
 * printed. With {@code rounds=0} it runs one export to S3 and reports heap use, for the 1M items /
 * -Xmx256m check. Run through scripts/s3-export-benchmark.sh.
 * <p>
 * Arguments (key=value): items (200000), rounds (3), warmup (1), segments (8), threads (4), gzip (false).
 */
public final class S3ExportBenchmark {

    private static final Pattern STEP = Pattern.compile("step export +COMPLETED +read (\\d+), .*?, ([0-9.]+)s");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int items = Integer.parseInt(options.getOrDefault("items", "200000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        String segments = options.getOrDefault("segments", "8");
        String threads = options.getOrDefault("threads", "4");
        String gzip = options.getOrDefault("gzip", "false");
        URI endpoint = Emulators.dynalite();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();
        String bucket = "bench-" + System.nanoTime();
        AwsClients.s3().createBucket(b -> b.bucket(bucket));
        Path work = Files.createTempDirectory("s3-export-bench");

        String table = TestTables.create(dynamoDb, "s3bench");
        long start = System.nanoTime();
        ExportBenchmark.load(dynamoDb, table, items);
        System.out.printf(Locale.ROOT, "loaded %d items into %s in %.1f s%n", items, table, seconds(start));
        Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString())
                .property("AWS_ENDPOINT_URL_S3", Emulators.s3rver().toString());
        List<String> common = List.of("table=" + table, "segments=" + segments, "threads=" + threads, "gzip=" + gzip);

        if (rounds == 0) {
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            Run run = export(cli, "s3://" + bucket + "/memory", common);
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf(Locale.ROOT, "table-export to S3 of %d items: %.1f s wall, scan step %.1f s, max heap %d MB,"
                    + " peak heap used %d MB (sum of the pools' peaks, garbage included)%n", run.items, run.wall,
                    run.step, Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
            System.exit(0);
        }
        for (int round = 1; round <= warmup; round++) {
            Run local = export(cli, work.resolve("warmup-" + round).toString(), common);
            Run s3 = export(cli, "s3://" + bucket + "/warmup-" + round, common);
            System.out.printf(Locale.ROOT, "warm-up %d (not counted): local %.2f s, S3 %.2f s launch%n", round,
                    local.wall, s3.wall);
        }
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        List<Double> localWall = new ArrayList<>();
        List<Double> localStep = new ArrayList<>();
        List<Double> s3Wall = new ArrayList<>();
        List<Double> s3Step = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // Alternate which goes first, so a drift in machine load does not favour one side.
            for (int side = 0; side < 2; side++) {
                boolean s3 = (side == 0) == (round % 2 == 0);
                Run run = export(cli, s3 ? "s3://" + bucket + "/round-" + round : work.resolve("round-" + round)
                        .toString(), common);
                (s3 ? s3Wall : localWall).add(run.wall);
                (s3 ? s3Step : localStep).add(run.step);
                System.out.printf(Locale.ROOT, "round %d %-5s %d items in %.2f s launch (scan step %.2f s)%n", round,
                        s3 ? "S3" : "local", run.items, run.wall, run.step);
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        System.out.printf(Locale.ROOT, "median local: launch %.2f s, scan step %.2f s; S3: launch %.2f s, scan step %.2f s%n",
                median(localWall), median(localStep), median(s3Wall), median(s3Step));
        System.out.printf(Locale.ROOT, "ratio (S3 time / local time): %.2f scan step, %.2f whole launch%n",
                median(s3Step) / median(localStep), median(s3Wall) / median(localWall));
        System.exit(0);
    }

    record Run(long items, double wall, double step) {
    }

    private static Run export(Cli cli, String dir, List<String> common) {
        List<String> args = new ArrayList<>(List.of("table-export", "dir=" + dir));
        args.addAll(common);
        long start = System.nanoTime();
        Cli.Result result = cli.run(args.toArray(String[]::new));
        double wall = seconds(start);
        Matcher m = STEP.matcher(result.out());
        if (result.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("table-export failed: " + result);
        }
        return new Run(Long.parseLong(m.group(1)), wall, stepSeconds(cli, Double.parseDouble(m.group(2))));
    }

    /** The partitioned step's time from the job repository, as the summary shows only tenths. */
    private static double stepSeconds(Cli cli, double summarySeconds) {
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                ResultSet rs = connection.createStatement().executeQuery("select start_time, end_time from"
                        + " batch_step_execution where step_name = 'export' order by step_execution_id desc limit 1")) {
            if (rs.next()) {
                LocalDateTime from = rs.getObject(1, LocalDateTime.class);
                LocalDateTime to = rs.getObject(2, LocalDateTime.class);
                return Duration.between(from, to).toNanos() / 1e9;
            }
        }
        catch (Exception e) {
            System.err.println("step time from the summary line: " + e);
        }
        return summarySeconds;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (Exception e) {
            return "unknown";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private S3ExportBenchmark() {
    }
}
