package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.decode;
import static com.cruddur.batch.seed.SeedTestSupport.items;
import static com.cruddur.batch.seed.SeedTestSupport.completedWithRejects;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code conversation-seed} and {@code ci-data-setup} through the real command line, against dynalite and H2. */
class ConversationSeedJobTest {

    private static final String BASE = "2026-11-20T08:00:00Z";
    private static final UUID LENA = UsersTableWriter.uuidFor("lena");
    private static final UUID MARCO = UsersTableWriter.uuidFor("marco");

    @Test
    void seedsMessagesAndGroupRowsAndARerunLeavesTheTableIdentical() throws Exception {
        String table = "seed-" + System.nanoTime();
        Cli cli = new Cli();
        ok(cli.run("schema-load", "table=" + table));
        ok(cli.run("user-seed"));

        Cli.Result run = ok(cli.run("conversation-seed", "table=" + table, "base-time=" + BASE));

        assertThat(run.out()).contains("read 113, written 113, skipped 0", "step seed-group-rows",
                "read 4, written 4", "relative created_at counted from base-time " + BASE);
        List<String> first = snapshot(table);
        assertThat(first).hasSize(113 + 2 * 4);

        // lena and marco: one group, 100 messages, both group rows at the newest (the 100th, +643m).
        List<Map<String, AttributeValue>> lenasGroups = items(table, MessageKeys.groupPk(LENA));
        GroupRow withMarco = lenasGroups.stream().map(GroupRow::fromItem).filter(g -> g.otherUserUuid().equals(MARCO))
                .findFirst().orElseThrow();
        String newest = MessageKeys.formatTime(Instant.parse(BASE).plus(643, ChronoUnit.MINUTES));
        assertThat(withMarco.sk()).isEqualTo(newest);
        assertThat(withMarco.message()).isEqualTo("Steep is fine going up, less fun coming down. (round 3)");
        assertThat(withMarco.otherHandle()).isEqualTo("marco");
        assertThat(withMarco.otherDisplayName()).isEqualTo("Marco Lindqvist");
        GroupRow marcosRow = items(table, MessageKeys.groupPk(MARCO)).stream().map(GroupRow::fromItem)
                .filter(g -> g.messageGroupUuid().equals(withMarco.messageGroupUuid())).findFirst().orElseThrow();
        assertThat(marcosRow.otherHandle()).isEqualTo("lena");
        assertThat(marcosRow.sk()).isEqualTo(newest);

        List<MessageRow> messages = items(table, MessageKeys.messagePk(withMarco.messageGroupUuid())).stream()
                .map(MessageRow::fromItem).toList();
        assertThat(messages).hasSize(100);
        assertThat(messages.get(0).sk()).isEqualTo("2026-11-20T08:00:00.000000+00:00");
        assertThat(messages.get(0).userHandle()).isEqualTo("lena");
        assertThat(messages.get(1).message()).isEqualTo("Yes, absolutely, I've been looking forward to it all week.");
        assertThat(messages.get(1).userDisplayName()).isEqualTo("Marco Lindqvist");

        // the group given by uuid, with a quoted message, and the absolute times
        assertThat(items(table, "MSG#5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10")).extracting(i -> i.get("message").s())
                .contains("I have one for you in return, \"The Quiet Harbour\".");
        assertThat(snapshot(table)).anyMatch(i -> i.contains("sk=2026-11-01T09:22:00.250000+00:00"));

        Cli.Result again = ok(cli.run("conversation-seed", "table=" + table, "base-time=" + BASE));
        assertThat(again.out()).contains("read 113, written 113");
        assertThat(snapshot(table)).isEqualTo(first);
    }

    @Test
    void groupRowsEndAtTheNewestMessageEvenWhenTheAppWroteANewerOneAndAnEmptyGroupReusesThePairsGroup()
            throws Exception {
        String table = "seed-app-" + System.nanoTime();
        Cli cli = new Cli();
        ok(cli.run("schema-load", "table=" + table));
        ok(cli.run("user-seed"));
        ok(cli.run("conversation-seed", "table=" + table, "base-time=" + BASE));
        GroupRow before = items(table, MessageKeys.groupPk(LENA)).stream().map(GroupRow::fromItem)
                .filter(g -> g.otherUserUuid().equals(MARCO)).findFirst().orElseThrow();
        // The app adds a newer message to the group afterwards.
        String later = "2026-11-25T10:00:00.000000+00:00";
        AwsClients.dynamoDb().putItem(r -> r.tableName(table).item(new MessageRow(before.messageGroupUuid(), later,
                UUID.randomUUID(), "sent from the app", MARCO, "Marco Lindqvist", "marco").toItem()));

        Path csv = Files.writeString(Files.createTempFile("more", ".csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                ,marco,lena,2026-11-21T00:00:00Z,one more from the seed
                """);
        ok(cli.run("conversation-seed", "table=" + table, "conversations=" + csv, "base-time=" + BASE));

        List<GroupRow> lenas = items(table, MessageKeys.groupPk(LENA)).stream().map(GroupRow::fromItem)
                .filter(g -> g.otherUserUuid().equals(MARCO)).toList();
        assertThat(lenas).hasSize(1);
        assertThat(lenas.get(0).messageGroupUuid()).isEqualTo(before.messageGroupUuid());
        assertThat(lenas.get(0).sk()).isEqualTo(later);
        assertThat(lenas.get(0).message()).isEqualTo("sent from the app");
        assertThat(items(table, MessageKeys.messagePk(before.messageGroupUuid()))).hasSize(102);
    }

    @Test
    void theDefaultBaseTimeIsMidnightOfYesterdayFixedAtTheFirstStartAndKeptInTheJobExecutionContext() throws Exception {
        String table = "seed-base-" + System.nanoTime();
        Cli cli = new Cli();
        ok(cli.run("schema-load", "table=" + table));
        ok(cli.run("user-seed"));
        Instant before = SeedTime.defaultBaseTime(Instant.now());

        ok(cli.run("conversation-seed", "table=" + table));

        Map<?, ?> context = decode(query(cli, "select c.short_context from batch_job_execution_context c join batch_job_execution e "
                + "on e.job_execution_id = c.job_execution_id join batch_job_instance i "
                + "on i.job_instance_id = e.job_instance_id where i.job_name = 'conversation-seed'").get(0));
        Instant base = Instant.parse(context.get(SeedTime.BASE_TIME_KEY).toString());
        assertThat(base).isIn(before, SeedTime.defaultBaseTime(Instant.now()));
        assertThat(base.toString()).endsWith("T00:00:00Z");
        assertThat(items(table, "MSG#5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10")).extracting(i -> i.get("sk").s())
                .contains(MessageKeys.formatTime(base.minus(3, ChronoUnit.HOURS)));
    }

    @Test
    void badRowsAreRejectedWithFileLineAndReason() throws Exception {
        String table = "seed-bad-" + System.nanoTime();
        Path dir = Files.createTempDirectory("conversation-seed");
        Path csv = Files.writeString(dir.resolve("conversations.csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                ,lena,marco,+1m,fine
                ,lena,nobody,+2m,to an unknown user
                ,lena,marco,+3m,
                ,lena,marco,yesterday,bad time
                ,lena,marco,+4m,%s
                not-a-uuid,lena,marco,+5m,bad group
                ,lena,marco,+6m,"unclosed
                ,lena,marco,+7m
                ,lena,lena,+8m,to myself
                ,marco,lena,+9m,also fine
                """.formatted("x".repeat(1025)));
        Cli cli = new Cli();
        ok(cli.run("schema-load", "table=" + table));
        ok(cli.run("user-seed"));

        Cli.Result run = completedWithRejects(cli.run("conversation-seed", "table=" + table, "conversations=" + csv,
                "base-time=" + BASE, "rejects-dir=" + dir.resolve("rejects")));

        assertThat(run.out()).contains("step seed-messages", "written 2, skipped 8",
                "seed-messages: 8 rejected row(s) of " + csv);
        assertThat(snapshot(table)).hasSize(2 + 2);
        Path rejects = dir.resolve("rejects").resolve("conversation-seed-3-seed-messages.csv");
        assertThat(Files.readAllLines(rejects)).hasSize(9).containsOnlyOnce("source,line,reason,record")
                .anyMatch(l -> l.startsWith("\"" + csv + "\",3,\"receiver_handle: unknown handle 'nobody'"))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",4,\"message: empty\""))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",5,\"created_at: 'yesterday' is neither"))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",6,\"message: 1025 characters; the app allows 1024\""))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",7,\"message_group_uuid: 'not-a-uuid' is not a UUID\""))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",8,\"unbalanced quotes\""))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",9,\"expected 5 columns, found 4\""))
                .anyMatch(l -> l.startsWith("\"" + csv + "\",10,\"receiver_handle: same user as the sender"));

        Cli.Result limited = cli.run("conversation-seed", "table=" + table, "conversations=" + csv,
                "base-time=2026-01-01T00:00:00Z", "skip-limit=7", "rejects-dir=" + dir.resolve("rejects"));
        assertThat(limited.exitCode()).as(limited.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(limited.out()).contains("conversation-seed FAILED",
                "reason: more than 7 rejected row(s) (skip-limit=7); the next was " + csv + " line ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "h2", "postgresql" })
    void ciDataSetupCreatesTheTableAndSeedsEverythingInOneJob(String platform) throws Exception {
        String table = "ci-" + System.nanoTime();
        Cli cli = new Cli();
        if (platform.equals("postgresql")) {
            // as with the prod profile: job repository and users table in PostgreSQL
            cli.jdbcUrl(Postgres.newDatabase("ci")).property("spring.datasource.username", "postgres");
        }

        Cli.Result run = ok(cli.run("ci-data-setup", "table=" + table));

        assertThat(run.lines()).filteredOn(l -> l.startsWith("  step ")).extracting(l -> l.split("\\s+")[2])
                .containsExactly("create-table", "wait-active", "seed-users", "seed-messages", "seed-group-rows");
        assertThat(run.out()).contains("created table " + table, "ci-data-setup COMPLETED");
        assertThat(query(cli, "select count(*) from public.users")).containsExactly("5");
        assertThat(snapshot(table)).hasSize(113 + 8);

        Cli.Result missing = cli.run("ci-data-setup", "table=" + table, "conversations=nope.csv");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).isEqualTo("error: conversations file nope.csv does not exist");
    }
}
