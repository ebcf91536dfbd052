package com.cruddur.batch.replay;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import com.cruddur.batch.bench.BenchRow;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Benchmark, run on demand (not a test): {@code scripts/replay-benchmark.sh [groups] [messages-per-group]
 * [per-record-limit] [job parameters ...]}. Writes groups x messages stream records (time order, gzip JSON lines), then in
 * one run against one dynalite:
 * <ol>
 * <li>message-group-replay source=file through the real launcher (defaults: chunk 25000, concurrency 8);</li>
 * <li>the same records one by one as a per-record stream consumer does it: GSI query, then delete and
 * put of each group row, for every record (on the first {@code per-record-limit} records when given,
 * since that path is slow; the rate is what counts).</li>
 * </ol>
 * Prints records/s of both and the ratio.
 */
public final class ReplayBenchmark {

    public static void main(String[] args) throws Exception {
        int groups = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perGroup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int perRecordLimit = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        DynamoDbClient dynamoDb = AwsClients.dynamoDb();
        Conversations c = Conversations.generate(2026, groups, perGroup);
        // As a stream delivers them after a replay from a trim horizon or a retried batch: out of order
        // across and within groups, and 10 % of the records delivered a second time.
        List<MessageRow> records = new ArrayList<>(c.messagesInOrder());
        Random random = new Random(12);
        int redelivered = records.size() / 10;
        for (int i = 0; i < redelivered; i++) {
            records.add(records.get(random.nextInt(records.size())));
        }
        Collections.shuffle(records, random);
        Path file = Files.createTempFile("replay-benchmark", ".jsonl.gz");
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            long sequence = 0;
            for (MessageRow m : records) {
                out.write(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
                out.write('\n');
            }
        }
        System.out.printf(Locale.ROOT, "%d records over %d groups in %s (%d MB gzip)%n", records.size(), groups, file,
                Files.size(file) >> 20);

        String jobTable = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, jobTable, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        double cpu = BenchRow.processCpuSeconds();
        long start = System.nanoTime();
        List<String> jobArgs = new ArrayList<>(List.of("message-group-replay", "source=file", "file=" + file,
                "table=" + jobTable));
        // Further arguments are the job's own (chunk-size=..., concurrency=...), to compare settings.
        jobArgs.addAll(Arrays.asList(args).subList(Math.min(args.length, 3), args.length));
        Cli.Result job = new Cli().run(jobArgs.toArray(String[]::new));
        double jobSeconds = (System.nanoTime() - start) / 1e9;
        double jobCpu = BenchRow.processCpuSeconds() - cpu;
        System.out.print(job.out());
        if (job.exitCode() != 0) {
            System.out.println(job);
            System.exit(1);
        }
        TreeSet<String> expected = c.expectedGroupRows();
        int jobRight = right(Conversations.groupRows(dynamoDb, jobTable), expected);
        double stepSeconds = jobOnlySeconds(job.out());
        double jobRate = records.size() / jobSeconds;

        String consumerTable = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, consumerTable, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        List<MessageRow> subset = records.subList(0, Math.min(records.size(), perRecordLimit));
        cpu = BenchRow.processCpuSeconds();
        start = System.nanoTime();
        for (MessageRow m : subset) {
            perRecordConsumer(dynamoDb, consumerTable, m);
        }
        double consumerSeconds = (System.nanoTime() - start) / 1e9;
        double consumerCpu = BenchRow.processCpuSeconds() - cpu;
        int consumerRight = right(Conversations.groupRows(dynamoDb, consumerTable), expected);
        double consumerRate = subset.size() / consumerSeconds;

        System.out.printf(Locale.ROOT, "%njob          %7d records in %7.1f s (wall, incl. Spring start) = %8.0f records/s; "
                + "group rows right: %d/%d%n", records.size(), jobSeconds, jobRate, jobRight, expected.size());
        System.out.printf(Locale.ROOT, "job only     %7d records in %7.1f s                           = %8.0f records/s%n",
                records.size(), stepSeconds, records.size() / stepSeconds);
        System.out.printf(Locale.ROOT, "per-record   %7d records in %7.1f s                           = %8.0f records/s%s; "
                + "group rows right: %d/%d%n", subset.size(), consumerSeconds, consumerRate,
                subset.size() < records.size() ? " (first " + subset.size() + " records only)" : "", consumerRight,
                expected.size());
        System.out.printf(Locale.ROOT, "ratio        %.1fx whole launch, %.1fx job only%n", jobRate / consumerRate,
                records.size() / stepSeconds / consumerRate);
        if (jobRight != expected.size()) {
            System.out.println("FAILED: the job left " + (expected.size() - jobRight) + " group rows wrong");
            System.exit(1);
        }
        BenchRow.print("message-group-replay " + records.size() + " shuffled records (10 % redelivered) / " + groups
                + " groups vs per-record consumer", records.size(), subset.size(), records.size() / stepSeconds, jobRate,
                consumerRate, 20, jobCpu, consumerCpu);
        System.exit(0);
    }

    /** How many of the expected group rows the table holds. */
    private static int right(TreeSet<String> actual, TreeSet<String> expected) {
        TreeSet<String> both = new TreeSet<>(expected);
        both.retainAll(actual);
        return both.size();
    }

    /** The job's own time, from its summary line (the launch's Spring start-up not included). */
    private static double jobOnlySeconds(String out) {
        Matcher m = Pattern.compile("message-group-replay COMPLETED in ([0-9.]+)s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no summary line for the job in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** What the app's consumer does per record: find the group rows, then delete and re-put each. */
    private static void perRecordConsumer(DynamoDbClient dynamoDb, String table, MessageRow m) {
        List<Map<String, AttributeValue>> rows = dynamoDb.query(q -> q.tableName(table).indexName(Conversations.INDEX)
                .keyConditionExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(m.messageGroupUuid().toString())))).items();
        for (Map<String, AttributeValue> item : rows) {
            GroupRow row = GroupRow.fromItem(item);
            dynamoDb.deleteItem(d -> d.tableName(table).key(Map.of(MessageKeys.PK, item.get(MessageKeys.PK),
                    MessageKeys.SK, item.get(MessageKeys.SK))));
            dynamoDb.putItem(p -> p.tableName(table).item(row.withLastMessage(m.sk(), m.message()).toItem()));
        }
    }
}
