package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.CognitoPools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/** {@code cognito-user-export} through the real launcher against cognito-local. */
class CognitoUserExportJobTest {

    static String pool;
    static UserType andrew;
    static UserType quoted;
    static UserType bare;

    @TempDir
    Path dir;

    @BeforeAll
    static void users() {
        pool = CognitoPools.newPool("export");
        andrew = CognitoPools.createUser(pool, "andrew@example.com", "preferred_username", "andrewbrown", "name",
                "Andrew Brown");
        quoted = CognitoPools.createUser(pool, "bayko@example.com", "preferred_username", "quoted", "name",
                "Smith, \"Bayko\"");
        bare = CognitoPools.createUser(pool, "bare@example.com");
    }

    @Test
    void exportsEveryUserToCsvReadableByItsOwnerOnly() throws Exception {
        Path out = dir.resolve("users.csv");

        Cli.Result result = new Cli().withCognito().run("cognito-user-export", "pool-id=" + pool, "output=" + out);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("wrote 3 users to " + out, "step export-users", "read 3, written 3",
                "cognito-user-export COMPLETED");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("username,sub,preferred_username,name,email,status,enabled,created,modified");
        assertThat(lines).hasSize(4);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(andrew.username() + "," + CognitoPools.sub(andrew)
                + ",andrewbrown,Andrew Brown,andrew@example.com,FORCE_CHANGE_PASSWORD,true,"
                + andrew.userCreateDate() + ","));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(quoted.username() + "," + CognitoPools.sub(quoted)
                + ",quoted,\"Smith, \"\"Bayko\"\"\",bayko@example.com,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bare.username() + "," + CognitoPools.sub(bare)
                + ",,,bare@example.com,"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void exportsJsonLinesAndReplacesAnExistingFileByAnOwnerOnlyOne() throws Exception {
        Path out = dir.resolve("users.jsonl");
        Files.writeString(out, "old content\n");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result result = new Cli().withCognito().run("cognito-user-export", "pool-id=" + pool, "output=" + out,
                "format=jsonl");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3).noneMatch(l -> l.contains("old content"));
        assertThat(lines).contains("{\"username\":\"" + quoted.username() + "\",\"sub\":\"" + CognitoPools.sub(quoted)
                + "\",\"preferred_username\":\"quoted\",\"name\":\"Smith, \\\"Bayko\\\"\",\"email\":\"bayko@example.com\","
                + "\"status\":\"FORCE_CHANGE_PASSWORD\",\"enabled\":true,\"created\":\"" + quoted.userCreateDate()
                + "\",\"modified\":\"" + quoted.userLastModifiedDate() + "\"}");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"email\":\"bare@example.com\"", "\"name\":null"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    /** The default pool-id is the configured local_cruddur, seeded from emulators/cognito/local_cruddur.json. */
    @Test
    void exportsTheSeededLocalPoolByDefault() throws Exception {
        Path out = dir.resolve("local.csv");

        Cli.Result result = new Cli().withCognito().run("cognito-user-export", "output=" + out);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(7).contains(
                "0b4a6a2e-6a51-4c43-9b6e-2f0d1c1a0001,0b4a6a2e-6a51-4c43-9b6e-2f0d1c1a0001,lena,Lena Okafor,"
                        + "lena@example.test,CONFIRMED,true,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z",
                "0b4a6a2e-6a51-4c43-9b6e-2f0d1c1a0006,0b4a6a2e-6a51-4c43-9b6e-2f0d1c1a0006,,Ada Newcomer,"
                        + "ada@example.test,CONFIRMED,true,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z");
    }

    @Test
    void anUnknownPoolFailsWithOneLineNamingIt() {
        Cli.Result result = new Cli().withCognito().run("cognito-user-export", "pool-id=local_nosuchpool",
                "output=" + dir.resolve("none.csv"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("cognito-user-export FAILED", "reason: ", "local_nosuchpool")
                .doesNotContain("wrote");
    }
}
