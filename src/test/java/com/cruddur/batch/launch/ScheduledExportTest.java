package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.cruddur.batch.export.ExportManifest;
import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A nightly export as a user schedules it, sped up: {@code schedule} (a child JVM, as {@code java -jar}
 * runs it) fires table-export against dynalite every few seconds with {@code dir: .../{scheduled.time}}.
 * Every tick gets a folder of its own holding a complete export; with {@code keep: 2} the two newest
 * stay and nothing that the schedule did not make is touched; a FAILED run is restarted into its folder.
 */
class ScheduledExportTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final int ITEMS = 40;
    private static String table;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fill() {
        table = newTable();
    }

    private static String newTable() {
        String name = "scheduled-" + UUID.randomUUID().toString().substring(0, 8);
        createFilled(name);
        return name;
    }

    private static void createFilled(String name) {
        dynamoDb.createTable(MessagesTableSchema.createRequest(name, "message-group-sk-index", null));
        AwsClients.awaitTableActive(name);
        for (int i = 0; i < ITEMS; i++) {
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("pk", AttributeValue.fromS("MSG#" + (i % 4)));
            item.put("sk", AttributeValue.fromS(String.format("2026-12-01T00:00:%02d.000000+00:00", i)));
            dynamoDb.putItem(r -> r.tableName(name).item(item));
        }
    }

    @Test
    void everyTickLeavesACompleteExportInAFolderOfItsOwnAndKeepTwoLeavesTheNewestTwo() throws Exception {
        Cli cli = new Cli();
        Path all = tmp.resolve("all");
        Path kept = tmp.resolve("kept");
        // An export in the kept folder that the schedule did not make (no marker), named like its own:
        // retention must leave it.
        Path foreign = kept.resolve("2020-01-01T00-00-00Z");
        Cli.Result byHand = cli.run("table-export", "table=" + table, "dir=" + foreign, "segments=1");
        assertThat(byHand.exitCode()).as(byHand.toString()).isZero();

        // Two entries of one job, two seconds apart, so that they rarely meet at the job lock.
        ChildLauncher scheduler = ChildLauncher.start(cli, List.of(
                "--cruddur.scheduler.schedules[0].name=all",
                "--cruddur.scheduler.schedules[0].job=table-export",
                "--cruddur.scheduler.schedules[0].cron=0/4 * * * * *",
                "--cruddur.scheduler.schedules[0].parameters.table=" + table,
                "--cruddur.scheduler.schedules[0].parameters.segments=2",
                "--cruddur.scheduler.schedules[0].parameters.dir=" + all + "/{scheduled.time}",
                "--cruddur.scheduler.schedules[1].name=kept",
                "--cruddur.scheduler.schedules[1].job=table-export",
                "--cruddur.scheduler.schedules[1].cron=2/4 * * * * *",
                "--cruddur.scheduler.schedules[1].keep=2",
                "--cruddur.scheduler.schedules[1].parameters.table=" + table,
                "--cruddur.scheduler.schedules[1].parameters.dir=" + kept + "/{scheduled.time}"), "schedule");
        try {
            waitFor(scheduler, () -> completeExports(all).size() >= 3
                    && count(output(scheduler), "kept: deleted the export") >= 1);
            stop(scheduler);
        }
        finally {
            scheduler.process.destroyForcibly();
        }
        String output = output(scheduler);
        assertThat(scheduler.process.exitValue()).as(output).isZero();

        // Each completed run of "all" left exactly one complete export, in the folder of its cron instant.
        List<String> allRuns = completedRuns(cli, "all");
        assertThat(allRuns).as(output).hasSizeGreaterThanOrEqualTo(3);
        assertThat(completeExports(all)).as(output).containsExactlyInAnyOrderElementsOf(
                allRuns.stream().map(ScheduledExportTest::folderName).toList());
        for (String folder : completeExports(all)) {
            assertCompleteExport(all.resolve(folder));
        }

        // "kept": at least three completed, the newest two remain (complete), the manual export too.
        List<String> keptRuns = completedRuns(cli, "kept");
        assertThat(keptRuns).as(output).hasSizeGreaterThanOrEqualTo(3);
        assertThat(completeExports(kept)).as(output).containsExactlyInAnyOrder(
                folderName(keptRuns.get(0)), folderName(keptRuns.get(1)), "2020-01-01T00-00-00Z");
        assertCompleteExport(foreign);
        for (String old : keptRuns.subList(2, keptRuns.size())) {
            assertThat(kept.resolve(folderName(old))).doesNotExist();
        }
        assertThat(output).doesNotContain(" ERROR ");
    }

    /** restart-failed: the next tick restarts the FAILED run with its own resolved dir, not the tick's. */
    @Test
    void aFailedScheduledExportIsRestartedIntoItsOwnFolder() throws Exception {
        Cli cli = new Cli();
        String missing = "scheduled-late-" + UUID.randomUUID().toString().substring(0, 8);
        Path exports = tmp.resolve("restart");
        ChildLauncher scheduler = ChildLauncher.start(cli, List.of(
                "--cruddur.scheduler.schedules[0].job=table-export",
                "--cruddur.scheduler.schedules[0].cron=*/2 * * * * *",
                "--cruddur.scheduler.schedules[0].restart-failed=true",
                "--cruddur.scheduler.schedules[0].parameters.table=" + missing,
                "--cruddur.scheduler.schedules[0].parameters.dir=" + exports + "/{scheduled.time}"), "schedule");
        try {
            waitFor(scheduler, () -> output(scheduler).contains("table-export FAILED"));
            // The table the run needs appears; the next tick restarts the failed run.
            createFilled(missing);
            waitFor(scheduler, () -> output(scheduler).contains("table-export COMPLETED"));
            stop(scheduler);
        }
        finally {
            scheduler.process.destroyForcibly();
        }
        String output = output(scheduler);
        assertThat(output).contains("restarting execution 1 (FAILED, scheduled at ");
        String first = RestartTest.query(cli, "select p.parameter_value from batch_job_execution_params p "
                + "where p.job_execution_id = 1 and p.parameter_name = 'scheduled.time'").get(0);
        List<String> instanceOne = RestartTest.query(cli,
                "select status from batch_job_execution where job_instance_id = 1 order by job_execution_id");
        assertThat(instanceOne.get(instanceOne.size() - 1)).as(output).isEqualTo("COMPLETED");
        // The restart wrote into the first tick's folder.
        assertCompleteExport(exports.resolve(folderName(first)));
    }

    private static void assertCompleteExport(Path dir) throws IOException {
        ExportManifest manifest = ExportManifest.readFrom(dir.resolve(ExportManifest.FILE_NAME));
        assertThat(manifest.itemCount()).as(dir.toString()).isEqualTo(ITEMS);
        long lines = 0;
        for (ExportManifest.DataFile file : manifest.files()) {
            assertThat(ExportManifest.sha256(dir.resolve(file.path()))).isEqualTo(file.sha256());
            try (Stream<String> l = Files.lines(dir.resolve(file.path()))) {
                lines += l.count();
            }
        }
        assertThat(lines).isEqualTo(ITEMS);
    }

    /** Folders under {@code parent} holding a manifest (a complete export). */
    private static List<String> completeExports(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(parent)) {
            return listing.filter(d -> Files.exists(d.resolve(ExportManifest.FILE_NAME)))
                    .map(d -> d.getFileName().toString()).toList();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** scheduled.time of the entry's COMPLETED runs, newest first. */
    private static List<String> completedRuns(Cli cli, String entry) throws Exception {
        return RestartTest.query(cli, "select t.parameter_value from batch_job_execution e "
                + "join batch_job_execution_params t on t.job_execution_id = e.job_execution_id and t.parameter_name = 'scheduled.time' "
                + "join batch_job_execution_params b on b.job_execution_id = e.job_execution_id and b.parameter_name = 'scheduled.by' "
                + "where e.status = 'COMPLETED' and b.parameter_value = '" + entry + "' order by t.parameter_value desc");
    }

    /** 2026-12-02T02:30:00Z -> 2026-12-02T02-30-00Z, as {scheduled.time} spells it. */
    private static String folderName(String scheduledTime) {
        return Instant.parse(scheduledTime).toString().replace(':', '-');
    }

    private static void waitFor(ChildLauncher scheduler, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(output(scheduler)).isLessThan(deadline);
            assertThat(scheduler.process.isAlive()).as(output(scheduler)).isTrue();
            Thread.sleep(250);
        }
    }

    private static void stop(ChildLauncher scheduler) throws InterruptedException {
        scheduler.process.destroy(); // SIGTERM
        assertThat(scheduler.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    private static String output(ChildLauncher scheduler) {
        try {
            return scheduler.output();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
