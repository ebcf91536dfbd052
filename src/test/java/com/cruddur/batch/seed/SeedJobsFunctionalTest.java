package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.S3ClientConfiguration;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.schema.MessagesTableSchema;
import com.cruddur.batch.schema.SchemaLoadJobConfiguration;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.JobTestContext;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The seeding jobs in-process (one context for the family) with the shipped seed files, against dynalite
 * and the context's H2 users table; checked by reading the table and the users rows back.
 */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, SchemaLoadJobConfiguration.class,
        UserSeedJobConfiguration.class, ConversationSeedJobConfiguration.class, CiDataSetupJobConfiguration.class,
        S3ClientConfiguration.class, JobTestContext.class }, properties = JobTestContext.CONFIG)
class SeedJobsFunctionalTest {

    private static final String BASE = "2026-11-20T08:00:00Z";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.properties(registry, "seed-jobs");
    }

    @Autowired
    private JobTestContext context;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    @Qualifier(UserSeedParameters.JOB)
    private Job userSeed;
    @Autowired
    @Qualifier(ConversationSeedParameters.JOB)
    private Job conversationSeed;
    @Autowired
    @Qualifier(CiDataSetupParameters.JOB)
    private Job ciDataSetup;

    @Test
    void userSeedUpsertsTheUsersOfTheCsv() throws Exception {
        JobExecution execution = context.launch(userSeed, UserSeedParameters.DESCRIPTOR, Map.of());

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("select handle || ' ' || email from public.users order by handle", String.class))
                .hasSize(5).contains("lena lena@example.test", "marco marco@example.test");
    }

    @Test
    void conversationSeedWritesEveryMessageAndTheGroupRows() throws Exception {
        String table = "functional-seed-" + System.nanoTime();
        AwsClients.dynamoDb().createTable(MessagesTableSchema.createRequest(table, "message-group-sk-index", null));
        AwsClients.awaitTableActive(table);
        context.launch(userSeed, UserSeedParameters.DESCRIPTOR, Map.of());

        JobExecution execution = context.launch(conversationSeed, ConversationSeedParameters.DESCRIPTOR,
                Map.of("table", table, "base-time", BASE, "chunk-size", "50"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName, StepExecution::getWriteCount)
                .containsExactly(tuple("seed-messages", 113L),
                        tuple("seed-group-rows", 4L));
        List<String> items = SeedTestSupport.snapshot(table);
        assertThat(items).filteredOn(i -> i.contains("pk=" + MessageKeys.MESSAGE_PREFIX)).hasSize(113);
        // Four groups, each with a row for both of its people.
        assertThat(items).filteredOn(i -> i.contains("pk=" + MessageKeys.GROUP_PREFIX)).hasSize(2 * 4);
    }

    @Test
    void ciDataSetupCreatesTheTableAndSeedsUsersAndMessages() throws Exception {
        String table = "functional-ci-" + System.nanoTime();

        JobExecution execution = context.launch(ciDataSetup, CiDataSetupParameters.DESCRIPTOR,
                Map.of("table", table, "base-time", BASE));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
                .containsExactly("create-table", "wait-active", "seed-users", "seed-messages", "seed-group-rows");
        assertThat(jdbc.queryForObject("select count(*) from public.users", Integer.class)).isEqualTo(5);
        assertThat(SeedTestSupport.snapshot(table)).hasSize(113 + 2 * 4);
    }
}
