package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A replay killed with SIGKILL part-way (a child JVM running the real launcher) and launched again:
 * the execution is recovered and restarted from its last commit, and the table ends exactly as a
 * run without the kill leaves it, with no leftover rows from the interrupted chunk.
 */
class ReplayRestartTest {

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @TempDir
    Path dir;

    @Test
    void aReplayKilledMidRunEndsInTheSameStateAfterRestart() throws Exception {
        Conversations c = Conversations.generate(77, 120, 15);
        String table = Conversations.createTable(dynamoDb);
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        Collections.shuffle(lines, new Random(5));
        Path file = Files.writeString(dir.resolve("records.jsonl"), String.join("\n", lines) + "\n");
        Cli cli = new Cli();
        String[] args = { "message-group-replay", "source=file", "file=" + file, "table=" + table, "chunk-size=30",
                "concurrency=1", "rejects=" + dir.resolve("rejects.txt") };

        // This JVM holds the H2 file open while the child runs, so the child reaches it through H2's
        // AUTO_SERVER instead of racing this test's polling for the file lock.
        Connection holder = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
        ChildLauncher launched = ChildLauncher.start(cli, args);
        Process child = launched.process;
        Path childLog = launched.output;
        try (holder) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (commits(cli) < 5) {
                assertThat(child.isAlive()).as("child ended before it was killed: %s", childLog).isTrue();
                assertThat(System.nanoTime()).as("child never committed 5 chunks").isLessThan(deadline);
                Thread.sleep(50);
            }
            child.destroyForcibly().waitFor();
        }
        finally {
            child.destroyForcibly();
        }
        assertThat(query(cli, "select status from batch_job_execution")).containsExactly("STARTED");
        assertThat(Conversations.groupRows(dynamoDb, table)).isNotEqualTo(c.expectedGroupRows());

        Cli.Result restarted = cli.run(args);

        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(restarted.err()).contains("was left STARTED by pid " + child.pid(), "restarting instance");
        Matcher read = Pattern.compile("read (\\d+), written").matcher(restarted.out());
        assertThat(read.find()).isTrue();
        assertThat(Integer.parseInt(read.group(1))).as("the restart resumes, it does not start over")
                .isLessThan(lines.size() - 5 * 30 + 1);
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        assertThat(query(cli, "select status from batch_job_execution order by job_execution_id"))
                .containsExactly("FAILED", "COMPLETED");
    }

    private static long commits(Cli cli) {
        try {
            // The file's partition commits; its partitioned step holds no chunks of its own.
            List<String> rows = query(cli, "select commit_count from batch_step_execution where step_name like 'replay-file:%'");
            return rows.isEmpty() || rows.get(0) == null ? 0 : Long.parseLong(rows.get(0));
        }
        catch (Exception notYetCreated) {
            return 0;
        }
    }

    private static List<String> query(Cli cli, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(cli.property("spring.datasource.url"), "sa", "");
                ResultSet rs = connection.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
