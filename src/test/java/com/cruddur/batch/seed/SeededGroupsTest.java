package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.support.UsersDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The groups step seed-messages collects must be exactly the list a re-read of the file gives (what a
 * restarted seed-group-rows uses), or a restart would resume at the wrong index: same groups, same order,
 * also for rows the message step rejects. Users on a real (H2) users table; the rows name their groups,
 * so no DynamoDB lookup is involved.
 */
class SeededGroupsTest {

    @Test
    void theGroupsSeenWhileSeedingAreTheGroupsOfAReRead() throws Exception {
        Path dir = Files.createTempDirectory("seeded-groups");
        DriverManagerDataSource dataSource = UsersDatabases.h2();
        UsersDatabases.usersTable(dataSource).ensureExists();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String handle : List.of("lena", "marco", "ines")) {
            jdbc.update("insert into public.users (display_name, handle, email, cognito_user_id) values (?, ?, ?, 'MOCK')",
                    handle, handle, handle + "@example.test");
        }
        Path csv = dir.resolve("conversations.csv");
        Files.writeString(csv, String.join("\n",
                "message_group_uuid,sender_handle,receiver_handle,created_at,message",
                "00000000-0000-0000-0000-0000000000c1,lena,marco,+1m,fine",
                "00000000-0000-0000-0000-0000000000a1,marco,ines,yesterday,bad time: its group still counts",
                "00000000-0000-0000-0000-0000000000b1,ines,lena,+2m,",
                "00000000-0000-0000-0000-0000000000d1,nobody,lena,+3m,unknown sender: no group",
                "not-a-uuid,lena,ines,+4m,bad group: no group",
                "00000000-0000-0000-0000-0000000000e1,lena,lena,+5m,to oneself: no group",
                "00000000-0000-0000-0000-0000000000c1,marco,lena,+6m,\"unbalanced",
                "00000000-0000-0000-0000-0000000000c1,marco,lena,+7m,fine again") + "\n");
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        SeededGroups seen = new SeededGroups();
        ConversationRowProcessor seeding = new ConversationRowProcessor(new UserDirectory(jdbc),
                new GroupResolver(null, "unused"), base, seen);

        seen.stepStarted(true);
        FlatFileItemReader<CsvLine> lines = SeedCsv.reader("c", csv, ConversationRowProcessor.REQUIRED, List.of());
        lines.open(new ExecutionContext());
        int rejected = 0;
        while (true) {
            try {
                CsvLine line = lines.read();
                if (line == null) {
                    break;
                }
                seeding.parse(line);
            }
            catch (RejectedRowException | FlatFileParseException e) {
                rejected++;
            }
        }
        lines.close();
        seen.stepEnded(true);

        SeededGroupsReader reRead = new SeededGroupsReader(csv, new ConversationRowProcessor(new UserDirectory(jdbc),
                new GroupResolver(null, "unused"), base), null);
        reRead.open(new ExecutionContext());
        List<String> reReadGroups = new ArrayList<>();
        for (GroupSeed group; (group = reRead.read()) != null;) {
            reReadGroups.add(group.messageGroupUuid().toString());
        }

        assertThat(rejected).isEqualTo(6);
        assertThat(seen.all()).extracting(group -> group.messageGroupUuid().toString())
                .containsExactly("00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000b1",
                        "00000000-0000-0000-0000-0000000000c1")
                .isEqualTo(reReadGroups);
        assertThat(seen.all()).as("the people of a group as its first row named them")
                .extracting(group -> group.first().handle()).containsExactly("marco", "ines", "lena");
    }

    @Test
    void aStepThatDidNotStartAtTheFirstLineLeavesTheReReadToTheReader() {
        SeededGroups seen = new SeededGroups();
        seen.stepStarted(false);
        seen.stepEnded(true);
        assertThat(seen.all()).isNull();

        seen.stepStarted(true);
        seen.stepEnded(false);
        assertThat(seen.all()).as("a failed step").isNull();
    }
}
