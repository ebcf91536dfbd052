package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.CognitoClientConfiguration;
import com.cruddur.batch.aws.S3ClientConfiguration;
import com.cruddur.batch.support.CognitoPools;
import com.cruddur.batch.support.JobTestContext;
import com.cruddur.batch.users.UsersTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserType;

/**
 * The Cognito jobs in-process against cognito-local: the lines of cognito-user-export's file, and the rows
 * cognito-user-sync leaves in the context's H2 users table and its report file.
 */
@SpringBatchTest
@SpringBootTest(classes = { JobLaunchConfiguration.class, CognitoUserExportJobConfiguration.class,
        CognitoUserSyncJobConfiguration.class, CognitoReaderConfiguration.class, CognitoClientConfiguration.class,
        S3ClientConfiguration.class, JobTestContext.class },
        properties = JobTestContext.CONFIG)
class CognitoJobsFunctionalTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        JobTestContext.propertiesWithCognito(registry, "cognito-jobs");
    }

    @TempDir
    Path dir;

    @Autowired
    private JobTestContext context;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private UsersTable usersTable;
    @Autowired
    @Qualifier(CognitoUserExportParameters.JOB)
    private Job cognitoUserExport;
    @Autowired
    @Qualifier(CognitoUserSyncParameters.JOB)
    private Job cognitoUserSync;

    @Test
    void cognitoUserExportWritesAHeaderAndOneLinePerUserOfThePool() throws Exception {
        String pool = CognitoPools.newPool("functional-export");
        UserType ada = CognitoPools.createUser(pool, "ada@example.com", "preferred_username", "ada", "name",
                "Ada Lovelace");
        UserType bare = CognitoPools.createUser(pool, "bare@example.com");
        Path out = dir.resolve("users.csv");

        JobExecution execution = context.launch(cognitoUserExport, CognitoUserExportParameters.DESCRIPTOR,
                Map.of("pool-id", pool, "output", out.toString(), "chunk-size", "1", "page-size", "1"));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(3).first()
                .isEqualTo("username,sub,preferred_username,name,email,status,enabled,created,modified");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(ada.username() + "," + CognitoPools.sub(ada)
                + ",ada,Ada Lovelace,ada@example.com,FORCE_CHANGE_PASSWORD,true,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bare.username() + "," + CognitoPools.sub(bare)
                + ",,,bare@example.com,"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(context.takeLines()).contains("wrote 2 users to " + out);
    }

    @Test
    void cognitoUserSyncSetsTheSubOfTheMatchedRowAndUpsertsTheMissingUser() throws Exception {
        String pool = CognitoPools.newPool("functional-sync");
        String handle = "fn" + UUID.randomUUID().toString().substring(0, 8);
        UserType matched = CognitoPools.createUser(pool, handle + "@example.com", "preferred_username", handle,
                "name", "Matched");
        UserType missing = CognitoPools.createUser(pool, handle + "-new@example.com", "preferred_username",
                handle + "-new", "name", "Missing");
        usersTable.ensureExists();
        jdbc.update("insert into public.users (uuid, display_name, handle, email, cognito_user_id) values (?, ?, ?, ?, ?)",
                UUID.randomUUID(), "Matched", handle, handle + "@example.com", "MOCK");
        Path report = dir.resolve("report.txt");

        JobExecution execution = context.launch(cognitoUserSync, CognitoUserSyncParameters.DESCRIPTOR,
                Map.of("pool-id", pool, "mode", "upsert", "report", report.toString()));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(jdbc.queryForList("select handle || ' ' || cognito_user_id from public.users where handle like ? "
                + "order by handle", String.class, handle + "%")).containsExactly(
                        handle + " " + CognitoPools.sub(matched), handle + "-new " + CognitoPools.sub(missing));
        assertThat(Files.readAllLines(report)).contains("matched 1: updated 1, unchanged 0",
                "inserted 1, not in the table 0");
    }
}
