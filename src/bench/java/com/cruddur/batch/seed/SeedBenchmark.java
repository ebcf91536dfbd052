package com.cruddur.batch.seed;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import com.cruddur.batch.bench.BenchRow;
import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Benchmark (not a test): against one dynalite, alternating over several rounds,
 * (a) a plain-SDK loader that writes the same message and group rows with concurrent BatchWriteItem and
 * nothing else (the ceiling), and (b) {@code conversation-seed} on the same file through the real
 * command line. Prints each round, the medians and b/a. Run with {@code scripts/seed-benchmark.sh}.
 *
 * <pre>
 * args: [messages=200000] [groups=2000] [rounds=3] [concurrency=8]
 * </pre>
 */
public final class SeedBenchmark {

    private static final String BASE = "2026-01-01T00:00:00Z";

    private SeedBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long messages = args.length > 0 ? Long.parseLong(args[0]) : 200_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path dir = Files.createTempDirectory("seed-benchmark");
        ConversationCsvGenerator.write(dir, messages, groups);
        System.out.printf(Locale.ROOT, "%d messages in %d groups, %d rounds, concurrency %d, dynalite at %s%n",
                messages, groups, rounds, concurrency, Emulators.dynalite());

        Cli cli = new Cli().property("logging.level.com.cruddur.batch", "WARN");
        check(cli.run("user-seed", "users=" + dir.resolve("users.csv")));
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(Emulators.dynalite())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)).build();

        List<Double> plain = new ArrayList<>();
        List<Double> seed = new ArrayList<>();
        List<Double> seedJob = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        List<Double> seedCpu = new ArrayList<>();
        long items = 0;
        for (int round = 1; round <= rounds; round++) {
            String a = "bench-a-" + round + "-" + System.nanoTime();
            String b = "bench-b-" + round + "-" + System.nanoTime();
            check(cli.run("schema-load", "table=" + a));
            check(cli.run("schema-load", "table=" + b));

            double cpu = BenchRow.processCpuSeconds();
            long start = System.nanoTime();
            items = plainLoad(client, a, dir, concurrency);
            double aSeconds = (System.nanoTime() - start) / 1e9;
            plainCpu.add(BenchRow.processCpuSeconds() - cpu);

            cpu = BenchRow.processCpuSeconds();
            start = System.nanoTime();
            Cli.Result result = check(cli.run("conversation-seed", "table=" + b,
                    "conversations=" + dir.resolve("conversations.csv"), "base-time=" + BASE,
                    "concurrency=" + concurrency));
            double bSeconds = (System.nanoTime() - start) / 1e9;
            seedCpu.add(BenchRow.processCpuSeconds() - cpu);
            double bJob = Double.parseDouble(result.out().replaceAll("(?s).*conversation-seed COMPLETED in ([0-9.]+)s.*", "$1"));

            long countA = count(a);
            long countB = count(b);
            if (countA != countB || countA != items) {
                throw new IllegalStateException("tables differ: plain " + countA + ", seed " + countB);
            }
            plain.add(aSeconds);
            seed.add(bSeconds);
            seedJob.add(bJob);
            System.out.printf(Locale.ROOT, "round %d: (a) plain SDK %.1fs (%.0f items/s)  (b) conversation-seed "
                    + "%.1fs command, %.1fs job (%.0f items/s)  items %d%n", round, aSeconds, items / aSeconds,
                    bSeconds, bJob, items / bJob, items);
            result.lines().stream().filter(l -> l.startsWith("  step ")).forEach(l -> System.out.println("    " + l.strip()));
            AwsClients.dynamoDb().deleteTable(r -> r.tableName(a));
            AwsClients.dynamoDb().deleteTable(r -> r.tableName(b));
        }
        double ma = median(plain);
        double mb = median(seed);
        double mj = median(seedJob);
        System.out.printf(Locale.ROOT, "median (a) %.1fs  (b) %.1fs command / %.1fs job%n", ma, mb, mj);
        System.out.printf(Locale.ROOT, "b/a (throughput of b over a): %.2f with start-up, %.2f job only%n", ma / mb,
                ma / mj);
        BenchRow.print("conversation-seed " + messages + " messages / " + groups + " groups (" + items
                + " items) vs raw-SDK concurrent BatchWriteItem", items, items, items / mj, items / mb, items / ma, 0.95,
                median(seedCpu), median(plainCpu));
        client.close();
        System.exit(0);
    }

    /**
     * The ceiling: parse, build the same items, BatchWriteItem 25 at a time with {@code concurrency} in
     * flight; group rows from the newest message per group kept in memory. Retries unprocessed items.
     */
    static long plainLoad(DynamoDbClient client, String table, Path dir, int concurrency) throws Exception {
        Map<String, String[]> users = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("users.csv"), StandardCharsets.UTF_8)) {
            in.readLine();
            for (String line; (line = in.readLine()) != null;) {
                String[] f = line.split(",", -1);
                users.put(f[0], new String[] { UsersTableWriter.uuidFor(f[0]).toString(), f[1] });
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Semaphore inFlight = new Semaphore(concurrency * 2);
        List<Future<?>> pending = new ArrayList<>();
        Map<UUID, String[]> newest = new HashMap<>();
        Instant base = Instant.parse(BASE);
        long items = 0;
        List<WriteRequest> batch = new ArrayList<>(25);
        try (BufferedReader in = Files.newBufferedReader(dir.resolve("conversations.csv"), StandardCharsets.UTF_8)) {
            in.readLine();
            for (String line; (line = in.readLine()) != null;) {
                String[] f = line.split(",", 5);
                String[] sender = users.get(f[1]);
                String[] receiver = users.get(f[2]);
                UUID senderUuid = UUID.fromString(sender[0]);
                UUID group = GroupResolver.newGroupUuid(senderUuid, UUID.fromString(receiver[0]));
                String sk = MessageKeys.formatTime(base.plus(Duration.ofSeconds(Long.parseLong(f[3].substring(1, f[3].length() - 1)))));
                UUID messageUuid = UUID.nameUUIDFromBytes(("cruddur-seed-message:" + group + "|" + sk + "|"
                        + senderUuid + "|" + f[4]).getBytes(StandardCharsets.UTF_8));
                batch.add(DynamoDbBatchItemWriter.put(new MessageRow(group, sk, messageUuid, f[4], senderUuid,
                        sender[1], f[1]).toItem()));
                String[] last = newest.get(group);
                if (last == null || last[0].compareTo(sk) < 0) {
                    newest.put(group, new String[] { sk, f[4], f[1], f[2] });
                }
                items++;
                if (batch.size() == 25) {
                    pending.add(submit(pool, inFlight, client, table, batch));
                    batch = new ArrayList<>(25);
                }
            }
        }
        for (Map.Entry<UUID, String[]> e : newest.entrySet()) {
            String[] last = e.getValue();
            String[] one = users.get(last[2]);
            String[] two = users.get(last[3]);
            for (String[][] pair : new String[][][] { { one, two, { last[3] } }, { two, one, { last[2] } } }) {
                batch.add(DynamoDbBatchItemWriter.put(new GroupRow(UUID.fromString(pair[0][0]), last[0], e.getKey(),
                        last[1], UUID.fromString(pair[1][0]), pair[1][1], pair[2][0]).toItem()));
                items++;
                if (batch.size() == 25) {
                    pending.add(submit(pool, inFlight, client, table, batch));
                    batch = new ArrayList<>(25);
                }
            }
        }
        if (!batch.isEmpty()) {
            pending.add(submit(pool, inFlight, client, table, batch));
        }
        for (Future<?> f : pending) {
            f.get();
        }
        pool.shutdown();
        return items;
    }

    private static Future<?> submit(ExecutorService pool, Semaphore inFlight, DynamoDbClient client, String table,
            List<WriteRequest> batch) throws InterruptedException {
        inFlight.acquire();
        return pool.submit(() -> {
            try {
                List<WriteRequest> left = batch;
                while (!left.isEmpty()) {
                    Map<String, List<WriteRequest>> request = Map.of(table, left);
                    left = client.batchWriteItem(r -> r.requestItems(request)).unprocessedItems()
                            .getOrDefault(table, List.of());
                }
            }
            finally {
                inFlight.release();
            }
        });
    }

    private static long count(String table) {
        return AwsClients.dynamoDb().scanPaginator(r -> r.tableName(table).select("COUNT")).stream()
                .mapToLong(p -> p.count()).sum();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static Cli.Result check(Cli.Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException(result.toString());
        }
        return result;
    }
}
