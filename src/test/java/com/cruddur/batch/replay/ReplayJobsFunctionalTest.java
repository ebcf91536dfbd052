package com.cruddur.batch.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.DynamoDbStreamsClientConfiguration;
import com.cruddur.batch.aws.S3ClientConfiguration;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.JobTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * message-group-replay in-process against dynalite: the group rows it leaves in the table and its rejects
 * file.
 */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, MessageGroupReplayJobConfiguration.class,
        DynamoDbStreamsClientConfiguration.class, S3ClientConfiguration.class, JobTestContext.class },
        properties = JobTestContext.CONFIG)
class ReplayJobsFunctionalTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.properties(registry, "replay-jobs");
    }

    @TempDir
    Path dir;

    @Autowired
    private JobTestContext context;
    @Autowired
    @Qualifier(MessageGroupReplayParameters.JOB)
    private Job messageGroupReplay;

    private final DynamoDbClient dynamoDb = AwsClients.dynamoDb();

    @Test
    void replayFromAFileMovesEveryGroupRowToItsNewestMessageAndRejectsTheBadLine() throws Exception {
        Conversations c = Conversations.generate(5, 4, 6);
        String table = Conversations.createTable(dynamoDb);
        // Every group row points at the group's first message; the stream records hold all of them.
        Conversations.putAll(dynamoDb, table, c.groupRowsAt(0).stream().map(GroupRow::toItem).toList());
        List<String> lines = new ArrayList<>();
        long sequence = 0;
        for (MessageRow m : c.allMessages()) {
            lines.add(Conversations.streamRecord("INSERT", m.toItem(), ++sequence));
        }
        Collections.shuffle(lines, new Random(7));
        lines.add(0, "not json");
        Path records = Files.writeString(dir.resolve("records.jsonl"), String.join("\n", lines) + "\n");
        Path rejects = dir.resolve("rejects.csv");
        assertThat(Conversations.groupRows(dynamoDb, table)).isNotEqualTo(c.expectedGroupRows());

        JobExecution execution = context.launch(messageGroupReplay, MessageGroupReplayParameters.DESCRIPTOR,
                Map.of("source", "file", "file", records.toString(), "table", table, "rejects", rejects.toString(),
                        "chunk-size", "5", "concurrency", "2"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(Conversations.groupRows(dynamoDb, table)).isEqualTo(c.expectedGroupRows());
        assertThat(Files.readAllLines(rejects)).satisfiesExactly(
                line -> assertThat(line).isEqualTo(RejectsFile.HEADER),
                line -> assertThat(line).startsWith("\"" + records + "\",1,\"malformed JSON"));
        assertThat(context.takeLines()).contains("rejected 1 (see " + rejects + ")");
    }
}
