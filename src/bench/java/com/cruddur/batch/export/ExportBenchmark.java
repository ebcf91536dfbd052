package com.cruddur.batch.export;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.bench.BenchRow;
import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * table-export against its ceiling, on demand (not a test): a plain-SDK parallel Scan with the same
 * segments and threads that writes the same DynamoDB JSON lines to one file per segment, with no Spring
 * Batch, no job repository and no commits. After warm-up rounds that are not counted, runs alternate
 * (ceiling first in odd rounds, table-export first in even ones); the medians and two ratios are printed.
 * The ceiling runs in this warm JVM with its client built, so the like-for-like figure is table-export's
 * scan step (the partitioned step); the whole launch adds Spring start-up, the check step and the
 * manifest, fixed costs that weigh less the larger the table. With {@code rounds=0} it runs table-export once and reports heap use,
 * for the 1M items / -Xmx256m check. Run through scripts/export-benchmark.sh.
 * <p>
 * Arguments (key=value): items (200000), rounds (3), warmup (1), segments (8), threads (4), chunk-size
 * (table-export's default), endpoint (a dynalite to
 * use; default: start one), table (reuse a loaded table instead of loading one).
 */
public final class ExportBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int items = Integer.parseInt(options.getOrDefault("items", "200000"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int segments = Integer.parseInt(options.getOrDefault("segments", "8"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "4"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        chunkSize = options.get("chunk-size");
        URI endpoint = options.containsKey("endpoint") ? URI.create(options.get("endpoint")) : Emulators.dynalite();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();
        Path work = Files.createTempDirectory("export-bench");

        String table = options.get("table");
        if (table == null) {
            table = TestTables.create(dynamoDb, "bench");
            long start = System.nanoTime();
            load(dynamoDb, table, items);
            System.out.printf(Locale.ROOT, "loaded %d items into %s in %.1f s%n", items, table, seconds(start));
        }
        Cli cli = new Cli().property("AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString());

        if (rounds == 0) {
            resetPeaks();
            Run run = export(cli, table, work.resolve("memory"), segments, threads);
            long peak = peakHeap();
            System.out.printf(Locale.ROOT, "table-export of %d items: %.1f s wall, scan step %.1f s, max heap %d MB,"
                    + " peak heap used %d MB%n", run.items, run.wallSeconds, run.stepSeconds,
                    Runtime.getRuntime().maxMemory() >> 20, peak >> 20);
            System.exit(0);
        }

        for (int round = 1; round <= warmup; round++) {
            // JIT, dynalite and page cache warm-up for both sides; not counted.
            long start = System.nanoTime();
            plainParallelScan(dynamoDb, table, work.resolve("warmup-ceiling-" + round), segments, threads);
            double c = seconds(start);
            Run run = export(cli, table, work.resolve("warmup-export-" + round), segments, threads);
            System.out.printf(Locale.ROOT, "warm-up %d (not counted): ceiling %.2f s, table-export %.2f s launch%n",
                    round, c, run.wallSeconds);
        }
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        List<Double> ceiling = new ArrayList<>();
        List<Double> exportWall = new ArrayList<>();
        List<Double> exportStep = new ArrayList<>();
        List<Double> ceilingCpu = new ArrayList<>();
        List<Double> exportCpu = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            // Alternate which side goes first, so a drift in machine load does not favour one side.
            boolean ceilingFirst = round % 2 == 1;
            if (!ceilingFirst) {
                exportRound(cli, table, work, segments, threads, round, exportWall, exportStep, exportCpu);
            }
            long start = System.nanoTime();
            long cpu = processCpuNanos();
            long scanned = plainParallelScan(dynamoDb, table, work.resolve("ceiling-" + round), segments, threads);
            ceiling.add(seconds(start));
            ceilingCpu.add((processCpuNanos() - cpu) / 1e9);
            System.out.printf(Locale.ROOT, "round %d ceiling      %d items in %.2f s (JVM CPU %.2f s)%n", round, scanned,
                    ceiling.get(round - 1), ceilingCpu.get(round - 1));
            if (ceilingFirst) {
                exportRound(cli, table, work, segments, threads, round, exportWall, exportStep, exportCpu);
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        double c = median(ceiling);
        double wall = median(exportWall);
        double step = median(exportStep);
        System.out.printf(Locale.ROOT, "median ceiling %.2f s, table-export scan step %.2f s, whole launch %.2f s%n", c,
                step, wall);
        // The ceiling runs in this already-warm JVM with a client already built: the scan step is the same
        // work. The launch adds what every run of the job pays once: Spring start-up, the check step, the
        // job repository's step records and the manifest (SHA-256 of every file).
        System.out.printf(Locale.ROOT, "ratio (ceiling time / export time): %.2f scan step (same work as the ceiling),"
                + " %.2f whole launch (adds %.2f s fixed start-up, check and manifest)%n", c / step, c / wall,
                wall - step);
        // CPU time is less at the mercy of other processes than wall time: on 2 shared cores, what the
        // JVM burns is taken from dynalite (single-threaded node), which serves both sides.
        System.out.printf(Locale.ROOT, "median JVM CPU: ceiling %.2f s, table-export launch %.2f s (incl. start-up)%n",
                median(ceilingCpu), median(exportCpu));
        System.out.printf(Locale.ROOT, "target 0.8: %s by the scan step, %s by the whole launch%n",
                c / step >= 0.8 ? "met" : "NOT met", c / wall >= 0.8 ? "met" : "NOT met");
        BenchRow.print("table-export " + items + " items, " + segments + " segments vs raw-SDK parallel Scan to files",
                items, items, items / step, items / wall, items / c, 0.95, median(exportCpu), median(ceilingCpu));
        System.exit(0);
    }

    private static void exportRound(Cli cli, String table, Path work, int segments, int threads, int round,
            List<Double> exportWall, List<Double> exportStep, List<Double> exportCpu) {
        long cpu = processCpuNanos();
        Run run = export(cli, table, work.resolve("export-" + round), segments, threads);
        exportCpu.add((processCpuNanos() - cpu) / 1e9);
        exportWall.add(run.wallSeconds);
        exportStep.add(run.stepSeconds);
        System.out.printf(Locale.ROOT, "round %d table-export %d items in %.2f s launch (scan step %.2f s; JVM CPU of"
                + " the launch %.2f s)%n", round, run.items, run.wallSeconds, run.stepSeconds,
                exportCpu.get(exportCpu.size() - 1));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (Exception e) {
            return "unknown";
        }
    }

    /** table-export's chunk-size=, or its default when not given. */
    private static String chunkSize;

    record Run(long items, double wallSeconds, double stepSeconds) {
    }

    private static final Pattern STEP = Pattern.compile("step export +COMPLETED +read (\\d+), .*?, ([0-9.]+)s");

    private static Run export(Cli cli, String table, Path dir, int segments, int threads) {
        long start = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("table-export", "table=" + table, "dir=" + dir,
                "segments=" + segments, "threads=" + threads));
        if (chunkSize != null) {
            args.add("chunk-size=" + chunkSize);
        }
        Cli.Result result = cli.run(args.toArray(String[]::new));
        double wall = seconds(start);
        Matcher m = STEP.matcher(result.out());
        if (result.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("table-export failed: " + result);
        }
        return new Run(Long.parseLong(m.group(1)), wall, stepSeconds(cli, Double.parseDouble(m.group(2))));
    }

    /**
     * The partitioned step's time from the job repository (to the microsecond), as the summary line shows
     * only tenths; the summary's figure if the repository cannot be read.
     */
    private static double stepSeconds(Cli cli, double summarySeconds) {
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                ResultSet rs = connection.createStatement().executeQuery("select start_time, end_time from"
                        + " batch_step_execution where step_name = 'export' order by step_execution_id desc limit 1")) {
            if (rs.next()) {
                LocalDateTime start = rs.getObject(1, LocalDateTime.class);
                LocalDateTime end = rs.getObject(2, LocalDateTime.class);
                return Duration.between(start, end).toNanos() / 1e9;
            }
        }
        catch (Exception e) {
            System.err.println("step time from the summary line: " + e);
        }
        return summarySeconds;
    }

    /** The ceiling: segments scanned by a thread pool, each to its own file of export lines. */
    static long plainParallelScan(DynamoDbClient dynamoDb, String table, Path dir, int segments, int threads)
            throws Exception {
        Files.createDirectories(dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong count = new AtomicLong();
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < segments; s++) {
            int segment = s;
            done.add(pool.submit(() -> {
                try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("segment-" + segment + ".json"),
                        StandardCharsets.UTF_8)) {
                    for (Map<String, AttributeValue> item : dynamoDb.scanPaginator(r -> r.tableName(table)
                            .segment(segment).totalSegments(segments)).items()) {
                        out.write(DynamoDbJson.toExportLine(item));
                        out.write('\n');
                        count.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return count.get();
    }

    /** Conversations of 20 messages plus their two group rows, ~300 bytes an item, 8 loaders. */
    static void load(DynamoDbClient dynamoDb, String table, int items) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        int perConversation = 22;
        int conversations = (items + perConversation - 1) / perConversation;
        int perTask = 100;
        for (int from = 0; from < conversations; from += perTask) {
            int first = from;
            int last = Math.min(conversations, from + perTask);
            done.add(pool.submit(() -> {
                List<Map<String, AttributeValue>> batch = new ArrayList<>();
                for (int c = first; c < last; c++) {
                    batch.addAll(conversation(c));
                }
                TestTables.put(dynamoDb, table, batch);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    private static List<Map<String, AttributeValue>> conversation(int c) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        var group = TestTables.uuid("bench-group-" + c);
        var a = TestTables.uuid("bench-a-" + c);
        var b = TestTables.uuid("bench-b-" + c);
        String last = null;
        for (int i = 0; i < 20; i++) {
            last = MessageKeys.formatTime(TestTables.T0.plusSeconds(c * 1000L + i));
            items.add(new MessageRow(group, last, TestTables.uuid("bench-m-" + c + "-" + i),
                    "message " + i + " of conversation " + c + ": hello there, how are you today?", i % 2 == 0 ? a : b,
                    i % 2 == 0 ? "Andrew Brown" : "Bayko", i % 2 == 0 ? "andrewbrown" : "bayko").toItem());
        }
        items.add(new GroupRow(a, last, group, "last", b, "Bayko", "bayko").toItem());
        items.add(new GroupRow(b, last, group, "last", a, "Andrew Brown", "andrewbrown").toItem());
        return items;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
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

    private ExportBenchmark() {
    }

}
