package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.rejects.RejectsFile;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failing user-seed run, launched as its own JVM so that its whole output is seen (stdout, stderr
 * and the log lines, which go to stderr): the rejected e-mail addresses, display name and handle
 * appear nowhere in it; only the owner-only rejects file holds them.
 */
class UserSeedPrivacyTest {

    @TempDir
    Path dir;

    @Test
    void aFailingRunNamesLinesAndFieldsButNoRecordContent() throws Exception {
        Path csv = Files.writeString(dir.resolve("users.csv"), """
                handle,email,display_name,cognito_user_id
                ana,ana@example.test,Ana Silva,sub-ana
                ben,ben.secret-address,Benedikt Verysecret,
                carl@private.example,carl@example.test,Carl,
                """);
        Path rejects = dir.resolve("rejects");
        ChildLauncher child = ChildLauncher.start(new Cli(), "user-seed", "users=" + csv, "skip-limit=1",
                "rejects-dir=" + rejects);
        assertThat(child.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = child.output();

        assertThat(child.process.exitValue()).as(output).isEqualTo(ExitCodes.FAILED);
        assertThat(output).contains("user-seed FAILED",
                "reason: more than 1 rejected row(s) (skip-limit=1); the next was " + csv + " line 4: handle: has "
                        + "characters other than letters, digits, _ . -");
        assertThat(output).doesNotContain("ben.secret-address", "Verysecret", "carl@private.example",
                "carl@example.test");

        Path file;
        try (var files = Files.list(rejects)) {
            file = files.findFirst().orElseThrow();
        }
        assertThat(Files.readAllLines(file)).first().isEqualTo(RejectsFile.HEADER);
        assertThat(Files.readString(file)).contains("\"email: not an e-mail address\"", "ben.secret-address");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
