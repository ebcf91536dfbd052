package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.items;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
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
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The group rows conversation-seed writes when groups of one user share an instant, and the input it
 * refuses before writing anything. Real command line, dynalite, H2.
 */
class ConversationSeedGroupRowsTest {

    private static final String BASE = "2026-11-20T08:00:00Z";
    private static final UUID LENA = UsersTableWriter.uuidFor("lena");
    private static final UUID MARCO = UsersTableWriter.uuidFor("marco");
    private static final UUID YUKI = UsersTableWriter.uuidFor("yuki");
    private static final Cli cli = new Cli();

    @BeforeAll
    static void users() {
        ok(cli.run("user-seed"));
    }

    @Test
    void twoConversationsOfOneUserEndingAtTheSameInstantAreBothInHerList() throws Exception {
        String table = "seed-same-instant-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));
        Path csv = Files.writeString(Files.createTempFile("same-instant", ".csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                ,lena,marco,+0m,walk on Saturday?
                ,marco,lena,+10m,yes
                ,yuki,lena,+5m,book club tonight?
                ,lena,yuki,+10m,on my way
                """);

        Cli.Result run = ok(cli.run("conversation-seed", "table=" + table, "conversations=" + csv, "base-time=" + BASE));

        UUID withMarco = GroupResolver.newGroupUuid(LENA, MARCO);
        UUID withYuki = GroupResolver.newGroupUuid(LENA, YUKI);
        UUID first = withMarco.toString().compareTo(withYuki.toString()) < 0 ? withMarco : withYuki;
        UUID second = first.equals(withMarco) ? withYuki : withMarco;
        Instant end = Instant.parse(BASE).plus(10, ChronoUnit.MINUTES);
        String t = MessageKeys.formatTime(end);
        String tPlus1 = MessageKeys.formatTime(end.plus(1, ChronoUnit.MICROS));
        List<GroupRow> lenas = items(table, MessageKeys.groupPk(LENA)).stream().map(GroupRow::fromItem).toList();
        assertThat(lenas).extracting(r -> r.messageGroupUuid() + "@" + r.sk() + " " + r.message())
                .containsExactly(first + "@" + t + " " + (first.equals(withMarco) ? "yes" : "on my way"),
                        second + "@" + tPlus1 + " " + (second.equals(withMarco) ? "yes" : "on my way"));
        // marco and yuki have one group each: their rows keep the exact instant.
        assertThat(items(table, MessageKeys.groupPk(MARCO))).extracting(i -> i.get("sk").s()).containsExactly(t);
        assertThat(items(table, MessageKeys.groupPk(YUKI))).extracting(i -> i.get("sk").s()).containsExactly(t);
        assertThat(run.out()).contains("read 2, written 2",
                "seed-group-rows: key GRP#" + LENA + " " + t + " is kept by group " + first + "; the row of group "
                        + second + " is placed at " + tPlus1,
                "seed-group-rows: 1 group row(s) placed 1 microsecond later");

        List<String> before = snapshot(table);
        assertThat(before).hasSize(4 + 4);
        Cli.Result again = ok(cli.run("conversation-seed", "table=" + table, "conversations=" + csv, "base-time=" + BASE));
        assertThat(snapshot(table)).isEqualTo(before);
        assertThat(again.out()).doesNotContain("placed 1 microsecond later");
    }

    /**
     * The rows of owners with no group row yet go out in one BatchWriteItem; a run stopped after only part of
     * them was written finds those owners' rows on restart and places the rest through the store. Both ways
     * end with the same table.
     */
    @Test
    void aSeedWhoseGroupRowsWereHalfWrittenEndsAsAStraightRun() throws Exception {
        String straight = "seed-rows-straight-" + System.nanoTime();
        String half = "seed-rows-half-" + System.nanoTime();
        Path csv = Files.writeString(Files.createTempFile("half-written", ".csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                ,lena,marco,+0m,walk on Saturday?
                ,marco,lena,+10m,yes
                ,yuki,lena,+5m,book club tonight?
                ,lena,yuki,+10m,on my way
                """);
        for (String table : List.of(straight, half)) {
            ok(cli.run("schema-load", "table=" + table));
        }
        ok(cli.run("conversation-seed", "table=" + straight, "conversations=" + csv, "base-time=" + BASE));
        // What a kill in the middle of the group rows' BatchWriteItem can leave: lena's shifted row only.
        Map<String, AttributeValue> shifted = items(straight, MessageKeys.groupPk(LENA)).get(1);
        AwsClients.dynamoDb().putItem(p -> p.tableName(half).item(shifted));

        Cli.Result run = ok(cli.run("conversation-seed", "table=" + half, "conversations=" + csv, "base-time=" + BASE));

        assertThat(snapshot(half)).isEqualTo(snapshot(straight));
        assertThat(run.out()).contains("read 2, written 2");
    }

    @Test
    void aGroupUuidGivenForTwoPairsIsRefusedBeforeAnythingIsWritten() throws Exception {
        String table = "seed-two-pairs-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));
        Path csv = Files.writeString(Files.createTempFile("two-pairs", ".csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,lena,marco,+0m,hello
                5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,marco,lena,+1m,hi
                ,priya,tomas,+2m,unrelated
                5F0B7C2E-3A41-4D8E-9C1B-2E6F4A8D9B10,priya,yuki,+3m,wrong group
                """);

        Cli.Result run = cli.run("conversation-seed", "table=" + table, "conversations=" + csv, "base-time=" + BASE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("error: conversations file " + csv + " line 5: message_group_uuid "
                + "5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10 is already the group of another pair of users (line 2); "
                + "a group has exactly two people");
        assertThat(snapshot(table)).isEmpty();
    }

    @Test
    void theTwoPairsCheckReadsQuotedRowsPaddedUuidsAndAnyColumnOrderAsTheMessageStepDoes() throws Exception {
        String table = "seed-two-pairs-columns-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));
        // A comment, a malformed line and a line with a wrong column count name the group for yet other
        // pairs: the message step rejects or skips them, so the check must not count them either.
        Path csv = Files.writeString(Files.createTempFile("two-pairs-columns", ".csv"), """
                sender_handle,message_group_uuid,receiver_handle,created_at,message
                lena,5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,marco,+0m,"hello, marco"
                #priya,5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,tomas,+1m,a comment line
                priya,5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,tomas,+1m,"unclosed
                priya,5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10,tomas,+1m,one,column too many
                marco,,lena,+2m,"an empty group, said with a comma"
                 priya , 5F0B7C2E-3A41-4D8E-9C1B-2E6F4A8D9B10 ,yuki,+3m,wrong group
                """);

        Cli.Result run = cli.run("conversation-seed", "table=" + table, "conversations=" + csv, "base-time=" + BASE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err().strip()).isEqualTo("error: conversations file " + csv + " line 7: message_group_uuid "
                + "5f0b7c2e-3a41-4d8e-9c1b-2e6f4a8d9b10 is already the group of another pair of users (line 2); "
                + "a group has exactly two people");
        assertThat(snapshot(table)).isEmpty();
    }

    @Test
    void aMissingIndexOrTableIsRefusedBeforeAnythingIsWritten() {
        String table = "seed-index-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));

        Cli.Result noIndex = cli.run("conversation-seed", "table=" + table, "index=nope", "base-time=" + BASE);
        assertThat(noIndex.exitCode()).as(noIndex.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noIndex.err().strip())
                .isEqualTo("error: table " + table + " has no index nope (it has message-group-sk-index)");
        assertThat(snapshot(table)).isEmpty();

        Cli.Result noTable = cli.run("conversation-seed", "table=" + table + "-missing", "base-time=" + BASE);
        assertThat(noTable.exitCode()).as(noTable.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noTable.err().strip())
                .isEqualTo("error: table " + table + "-missing does not exist; create it with schema-load");
    }
}
