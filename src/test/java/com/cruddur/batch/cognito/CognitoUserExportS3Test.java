package com.cruddur.batch.cognito;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.CognitoPools;
import com.cruddur.batch.support.CognitoStub;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code cognito-user-export output=s3://...} through the real launcher against cognito-local and s3rver.
 * s3rver accepts the encryption header but neither stores nor reports it (HeadObject has no
 * ServerSideEncryption), so the S3 requests go through {@link AwsProxy}, which keeps their headers; a
 * failure mid-listing is Cognito's answer to one ListUsers request, given by the same proxy.
 */
class CognitoUserExportS3Test {

    private static final String BUCKET = "exports-" + System.nanoTime();
    private static String pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void usersAndBucket() {
        pool = CognitoPools.newPool("s3export");
        for (int i = 0; i < 5; i++) {
            CognitoPools.createUser(pool, "user" + i + "@example.com", "preferred_username", "user" + i, "name",
                    "User, \"" + i + "\"");
        }
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
    }

    private static List<String> object(String key) {
        return AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8)
                .lines().toList();
    }

    private List<String> localExport(String format) throws Exception {
        Path out = dir.resolve("local." + format);
        Cli.Result local = new Cli().withCognito().run("cognito-user-export", "pool-id=" + pool, "output=" + out,
                "format=" + format);
        assertThat(local.exitCode()).as(local.toString()).isZero();
        return Files.readAllLines(out);
    }

    @Test
    void theObjectHoldsTheLinesOfALocalExportAndSseS3WasRequested() throws Exception {
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver())) {
            Cli cli = new Cli().withCognito().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
            for (String format : List.of("csv", "jsonl")) {
                String location = "s3://" + BUCKET + "/users." + format;

                Cli.Result result = cli.run("cognito-user-export", "pool-id=" + pool, "output=" + location,
                        "format=" + format, "chunk-size=2");

                assertThat(result.exitCode()).as(result.toString()).isZero();
                assertThat(result.out()).contains("wrote 5 users to " + location + " (SSE-S3 (AES256))");
                assertThat(object("users." + format)).hasSize(format.equals("csv") ? 6 : 5)
                        .isEqualTo(localExport(format));
            }
            assertThat(s3.requests()).filteredOn(r -> r.operation().equals("PutObject")).hasSize(2)
                    .allSatisfy(r -> assertThat(r.headers()).containsEntry("x-amz-server-side-encryption", "AES256"));
        }
    }

    /**
     * Cognito failing after the first commit (the stub of the Cognito API throttles every request after the
     * first page; cognito-local returns all users in one page): the step fails, no object appears, and the
     * same command lists the users again and writes the object whole.
     */
    @Test
    void aFailedExportLeavesNoObjectAndTheSameCommandWritesItWholeFromTheFirstUser() throws Exception {
        String key = "failed-" + System.nanoTime() + ".csv";
        String location = "s3://" + BUCKET + "/" + key;
        List<CognitoStub.User> users = IntStream.rangeClosed(1, 130)
                .mapToObj(i -> CognitoStub.User.of("user" + i, "User, " + i)).toList(); // the stub does not escape quotes
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver()); CognitoStub cognito = new CognitoStub(users)) {
            Cli cli = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", cognito.endpoint().toString())
                    .property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString())
                    .property("cruddur.aws.max-attempts", "1");
            String[] export = { "cognito-user-export", "pool-id=us-east-1_Stub", "output=" + location,
                    "chunk-size=50" };
            cognito.throttleAfterPages(1);

            Cli.Result failed = cli.run(export);

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out()).contains("written 50", "cognito-user-export FAILED").doesNotContain("wrote ");
            assertThatThrownBy(() -> AwsClients.s3().headObject(b -> b.bucket(BUCKET).key(key)))
                    .isInstanceOf(NoSuchKeyException.class);
            // 50 users were written into the upload's buffer; nothing reached S3 (no PutObject, no part).
            assertThat(s3.operations()).doesNotContain("PutObject", "CreateMultipartUpload", "UploadPart");

            cognito.release();
            Cli.Result again = cli.run(export);

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.err()).contains("restarting instance");
            assertThat(again.out()).contains("writing " + location + " from the first user", "wrote 130 users to "
                    + location);
            Path local = dir.resolve("stub-users.csv");
            Cli.Result toFile = new Cli().property("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                    cognito.endpoint().toString()).run("cognito-user-export", "pool-id=us-east-1_Stub", "output=" + local);
            assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
            assertThat(object(key)).hasSize(131).doesNotHaveDuplicates().isEqualTo(Files.readAllLines(local));
        }
    }

    /** S3 refusing the upload at the very end (here: AwsProxy answers PutObject with S3's AccessDenied). */
    @Test
    void s3RefusingTheObjectAtTheEndFailsTheRunAndLeavesNoObject() {
        String key = "refused-" + System.nanoTime() + ".csv";
        try (AwsProxy s3 = new AwsProxy(Emulators.s3rver())) {
            s3.fault((operation, body) -> operation.equals("PutObject")
                    ? AwsProxy.Response.s3Error(403, "AccessDenied", "Access Denied") : null);
            Cli cli = new Cli().withCognito().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());

            Cli.Result result = cli.run("cognito-user-export", "pool-id=" + pool, "output=s3://" + BUCKET + "/" + key);

            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(result.out()).as(result.toString()).contains("cognito-user-export FAILED",
                    "reason: cannot write s3://" + BUCKET + "/" + key + ": access denied (needs s3:PutObject")
                    .doesNotContain("wrote ").doesNotContain("@example.com");
            assertThatThrownBy(() -> AwsClients.s3().headObject(b -> b.bucket(BUCKET).key(key)))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void aBucketThatDoesNotExistOrAPrefixIsOneLineAndExit2() {
        Cli cli = new Cli().withCognito().property("AWS_ENDPOINT_URL_S3", Emulators.s3rver().toString());
        String bucket = "no-such-bucket-" + System.nanoTime();

        Cli.Result noBucket = cli.run("cognito-user-export", "pool-id=" + pool, "output=s3://" + bucket + "/u.csv");
        Cli.Result prefix = cli.run("cognito-user-export", "pool-id=" + pool, "output=s3://" + BUCKET + "/dir/");

        assertThat(noBucket.exitCode()).as(noBucket.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBucket.err().lines()).as(noBucket.toString()).singleElement().isEqualTo(
                "error: output s3://" + bucket + "/u.csv: bucket " + bucket + " does not exist");
        assertThat(prefix.exitCode()).as(prefix.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(prefix.err().lines()).as(prefix.toString()).singleElement().isEqualTo(
                "error: output s3://" + BUCKET + "/dir/ is a prefix; give the key of the object to write");
        assertThat(AwsClients.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("dir")).contents()).isEmpty();
    }
}
