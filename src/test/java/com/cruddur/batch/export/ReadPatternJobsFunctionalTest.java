package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.JobTestContext;
import org.junit.jupiter.api.BeforeAll;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * conversation-export and message-group-export in-process (one context for both) against dynalite: the lines
 * of the files they write. (table-export and table-import are converted after the S3 and partitioning work.)
 */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, ConversationExportJobConfiguration.class,
        MessageGroupExportJobConfiguration.class, JobTestContext.class }, properties = JobTestContext.CONFIG)
class ReadPatternJobsFunctionalTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UUID GROUP = TestTables.uuid("group-functional");
    private static final UUID OWNER = TestTables.uuid("functional-owner");
    private static final int MESSAGES = 30;
    private static String table;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.properties(registry, "read-pattern-jobs");
    }

    @TempDir
    Path dir;

    @Autowired
    private JobTestContext context;
    @Autowired
    @Qualifier(ConversationExportParameters.JOB)
    private Job conversationExport;
    @Autowired
    @Qualifier(MessageGroupExportParameters.JOB)
    private Job messageGroupExport;

    @BeforeAll
    static void fill() {
        table = TestTables.create(AwsClients.dynamoDb(), "functional-patterns");
        List<Map<String, AttributeValue>> items = new ArrayList<>(TestTables.conversation("functional",
                MESSAGES, 20));
        for (int g = 0; g < 3; g++) {
            String sk = MessageKeys.formatTime(Instant.parse("2026-03-01T00:00:00Z").minusSeconds(3600L * g));
            items.add(new GroupRow(OWNER, sk, TestTables.uuid("functional-other-" + g), "last of " + g,
                    TestTables.uuid("functional-friend-" + g), "Friend " + g, "friend" + g).toItem());
        }
        TestTables.put(AwsClients.dynamoDb(), table, items);
    }

    @Test
    void conversationExportWritesTheMessagesOfTheWindowOldestFirst() throws Exception {
        Path out = dir.resolve("conversation.jsonl");
        // Messages are a minute apart from T0: [T0+10m, T0+20m) holds messages 10 to 19.
        JobExecution execution = context.launch(conversationExport, ConversationExportParameters.DESCRIPTOR,
                Map.of("table", table, "group", GROUP.toString(), "from", TestTables.T0.plusSeconds(600).toString(),
                        "to", TestTables.T0.plusSeconds(1200).toString(), "format", "json", "output", out.toString(),
                        "chunk-size", "4"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<JsonNode> rows = Files.readAllLines(out).stream().map(JSON::readTree).toList();
        assertThat(rows).extracting(row -> row.get("message_uuid").asString()).containsExactly(
                java.util.stream.IntStream.range(10, 20).mapToObj(i -> TestTables.uuid("functional-m" + i)
                        .toString()).toArray(String[]::new));
    }

    @Test
    void messageGroupExportWritesTheUsersGroupsNewestFirst() throws Exception {
        Path out = dir.resolve("groups.txt");

        JobExecution execution = context.launch(messageGroupExport, MessageGroupExportParameters.DESCRIPTOR,
                Map.of("table", table, "user", OWNER.toString(), "output", out.toString()));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<String> lines = Files.readAllLines(out);
        // A header, then one line per group, the newest (last message latest) first.
        assertThat(lines).hasSize(1 + 3);
        assertThat(lines.get(1)).contains("friend0", "last of 0");
        assertThat(lines.get(3)).contains("friend2", "last of 2");
    }
}
