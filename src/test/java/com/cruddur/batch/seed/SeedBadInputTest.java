package com.cruddur.batch.seed;

import static com.cruddur.batch.seed.SeedTestSupport.completedWithRejects;
import static com.cruddur.batch.seed.SeedTestSupport.ok;
import static com.cruddur.batch.seed.SeedTestSupport.query;
import static com.cruddur.batch.seed.SeedTestSupport.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed CSVs a careless or hostile user could hand over: times no key can hold, bytes that are not UTF-8, a
 * byte-order mark, a folder instead of a file. Each bad row costs that row (file, line, field in the rejects
 * file, exit 5); nothing is stored altered.
 */
class SeedBadInputTest {

    private static final String BASE = "2026-11-20T08:00:00Z";
    private static Cli cli;
    private static Path dir;

    @BeforeAll
    static void seedUsers() throws Exception {
        cli = new Cli();
        dir = Files.createTempDirectory("seed-bad-input");
        ok(cli.run("user-seed"));
    }

    @Test
    void aCreatedAtOutsideYears1To9999RejectsItsRowWithLineAndFieldAndTheRestIsWritten() throws Exception {
        String table = "seed-range-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));
        Path csv = Files.writeString(dir.resolve("range.csv"), """
                message_group_uuid,sender_handle,receiver_handle,created_at,message
                ,lena,marco,+1m,fine
                ,lena,marco,+99999999999999999999d,too many digits for a number
                ,lena,marco,+9999999999999d,beyond any instant
                ,lena,marco,-9999999999999d,before any instant
                ,lena,marco,+10000-01-01T00:00:00Z,five-digit year
                ,lena,marco,-0001-12-31T00:00:00Z,negative year
                ,lena,marco,0000-06-01T00:00:00Z,year zero
                ,lena,marco,+3000000d,relative past year 9999
                ,marco,lena,9999-12-31T23:59:59.999999Z,last instant a key holds
                """);
        Path rejectsDir = dir.resolve("range-rejects");

        Cli.Result run = completedWithRejects(cli.run("conversation-seed", "table=" + table, "conversations=" + csv,
                "base-time=" + BASE, "rejects-dir=" + rejectsDir));

        assertThat(run.out()).contains("written 2, skipped 7");
        assertThat(snapshot(table)).hasSize(2 + 2).anyMatch(i -> i.contains("sk=9999-12-31T23:59:59.999999+00:00"))
                .noneMatch(i -> i.matches(".*sk=[-+].*"));
        List<String> rejects = rejectsOf(rejectsDir);
        assertThat(rejects).hasSize(8);
        for (int line = 3; line <= 9; line++) {
            assertThat(rejects).as("line %d", line).anyMatch(
                    l -> l.matches("\"" + csv + "\"," + "\\d+" + ",\"created_at: '.*' is outside the years 0001\\.\\.9999.*"));
        }
        assertThat(rejects.stream().skip(1).map(l -> l.split(",")[1])).containsExactlyInAnyOrder("3", "4", "5", "6",
                "7", "8", "9");
    }

    @Test
    void aByteThatIsNotUtf8FiftyKilobytesIntoTheFileRejectsItsRowInsteadOfStoringAReplacementCharacter()
            throws Exception {
        String table = "seed-utf8-" + System.nanoTime();
        ok(cli.run("schema-load", "table=" + table));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("message_group_uuid,sender_handle,receiver_handle,created_at,message\n"
                .getBytes(StandardCharsets.UTF_8));
        int rows = 0;
        int badLine = 0;
        while (bytes.size() < 80_000) {
            rows++;
            bytes.writeBytes((",lena,marco,+" + rows + "s,message number " + rows + " with some text to fill the line "
                    + "and é ü 日本").getBytes(StandardCharsets.UTF_8));
            if (badLine == 0 && bytes.size() > 50_000) {
                badLine = rows + 1;
                bytes.write(0xE9); // Latin-1 é
                bytes.writeBytes(" caf".getBytes(StandardCharsets.UTF_8));
            }
            bytes.write('\n');
        }
        Path csv = Files.write(dir.resolve("latin1.csv"), bytes.toByteArray());
        Path rejectsDir = dir.resolve("utf8-rejects");

        Cli.Result run = completedWithRejects(cli.run("conversation-seed", "table=" + table, "conversations=" + csv,
                "base-time=" + BASE, "rejects-dir=" + rejectsDir));

        assertThat(run.out()).contains("read " + (rows - 1) + ", written " + (rows - 1) + ", skipped 1");
        assertThat(snapshot(table)).hasSize(rows - 1 + 2).noneMatch(i -> i.contains("\uFFFD"))
                .anyMatch(i -> i.contains("é ü 日本"));
        assertThat(rejectsOf(rejectsDir)).hasSize(2).last().asString()
                .startsWith("\"" + csv + "\"," + badLine + ",\"not valid UTF-8 (byte ");
    }

    @Test
    void aUsersFileWithABadByteOnLine2RejectsThatRowAndABomIsAccepted() throws Exception {
        Cli users = new Cli();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF });
        bytes.writeBytes("handle,display_name,email\nana,Ana ".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC1); // a byte UTF-8 never uses
        bytes.writeBytes("lvarez,ana@example.test\nbo,Bø,bo@example.test\ncy,Cy,cy@example.test\n"
                .getBytes(StandardCharsets.UTF_8));
        Path csv = Files.write(dir.resolve("users-latin1.csv"), bytes.toByteArray());
        Path rejectsDir = dir.resolve("users-rejects");

        Cli.Result run = completedWithRejects(users.run("user-seed", "users=" + csv, "rejects-dir=" + rejectsDir));

        assertThat(run.out()).contains("seed-users: 2 inserted, 0 updated");
        assertThat(query(users, "select handle || ' ' || display_name from public.users order by handle"))
                .containsExactly("bo Bø", "cy Cy");
        assertThat(rejectsOf(rejectsDir)).hasSize(2).last().asString()
                .startsWith("\"" + csv + "\",2,\"not valid UTF-8 (byte 9 of the line)");
    }

    @Test
    void aBadByteInTheHeaderOrAFolderGivenAsTheFileIsOneLineAndExitCode2() throws Exception {
        Path header = Files.write(dir.resolve("bad-header.csv"), new byte[] { 'h', 'a', 'n', 'd', 'l', 'e', (byte) 0xFF,
                '\n' });
        Cli.Result badHeader = cli.run("user-seed", "users=" + header);
        assertThat(badHeader.exitCode()).as(badHeader.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badHeader.err().strip()).isEqualTo("error: users file " + header
                + " line 1: not valid UTF-8 (byte 7 of the line); save the file as UTF-8");

        Cli.Result folder = cli.run("conversation-seed", "conversations=" + dir);
        assertThat(folder.exitCode()).as(folder.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(folder.err().strip()).isEqualTo("error: conversations file " + dir
                + " is a directory; give the CSV file itself");
    }

    private static List<String> rejectsOf(Path rejectsDir) throws Exception {
        try (var files = Files.list(rejectsDir)) {
            return Files.readAllLines(files.findFirst().orElseThrow());
        }
    }
}
