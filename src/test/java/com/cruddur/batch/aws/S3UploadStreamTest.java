package com.cruddur.batch.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link S3UploadStream} against a real s3rver, through {@link AwsProxy}: s3rver accepts the encryption
 * headers but neither stores nor reports them (HeadObject has no ServerSideEncryption), so the request
 * headers are checked at the protocol level; s3rver also does not implement AbortMultipartUpload (405),
 * so the proxy answers that one request itself, as S3 does (204), and the test checks that it was sent.
 * Parts of 64 KiB (S3 itself wants 5 MiB but the last; s3rver does not check) keep the test small.
 */
class S3UploadStreamTest {

    private static final String BUCKET = "uploads-" + System.nanoTime();
    private static final int PART = 64 << 10;

    private final AwsProxy proxy = new AwsProxy(Emulators.s3rver());

    @BeforeAll
    static void bucket() {
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
    }

    @AfterEach
    void close() {
        proxy.close();
    }

    private S3Uploads uploads(String kmsKey) {
        MockEnvironment environment = new MockEnvironment().withProperty("AWS_ENDPOINT_URL_S3",
                proxy.endpoint().toString());
        if (kmsKey != null) {
            environment.setProperty(S3Uploads.KMS_KEY_PROPERTY, kmsKey);
        }
        CruddurProperties properties = new CruddurProperties(new CruddurProperties.Aws("us-east-1", 2),
                new CruddurProperties.Dynamodb("", "t-table", "t-index", ""), new CruddurProperties.Cognito("", ""));
        return new S3Uploads(new S3Inputs(properties, environment, new AwsEndpoints(null, null, "us-east-1")),
                environment);
    }

    private static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("line ").append(i).append(", ünïcode\n");
        }
        return text.toString();
    }

    private static String object(String key) {
        return AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
    }

    private List<AwsProxy.Request> requests(String operation) {
        return proxy.requests().stream().filter(r -> r.operation().equals(operation)).toList();
    }

    @Test
    void moreThanOnePartIsAMultipartUploadWithSseS3RequestedAndTheObjectHoldsEveryByte() throws Exception {
        String text = lines(12_000); // about 270 KiB: 5 parts
        S3UploadStream out = uploads(null).open("s3://" + BUCKET + "/multi.csv", PART);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 1000) {
            out.write(bytes, i, Math.min(1000, bytes.length - i));
        }
        assertThat(out.uploadId()).as("parts go out while writing").isNotNull();
        assertThatThrownBy(() -> AwsClients.s3().headObject(b -> b.bucket(BUCKET).key("multi.csv")))
                .as("nothing to read before complete()").isInstanceOf(NoSuchKeyException.class);

        out.complete();

        assertThat(object("multi.csv")).isEqualTo(text);
        assertThat(requests("CreateMultipartUpload")).singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("x-amz-server-side-encryption", "AES256"));
        assertThat(requests("UploadPart")).hasSize((bytes.length + PART - 1) / PART);
        assertThat(requests("CompleteMultipartUpload")).hasSize(1);
        assertThat(requests("PutObject")).isEmpty();
    }

    @Test
    void whatFitsInOnePartIsOnePutObjectWithSseS3Requested() throws Exception {
        String text = lines(10);
        try (S3UploadStream out = uploads(null).open("s3://" + BUCKET + "/small.csv", PART)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.complete();
        }

        assertThat(object("small.csv")).isEqualTo(text);
        assertThat(requests("PutObject")).singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("x-amz-server-side-encryption", "AES256")
                        .doesNotContainKey("x-amz-server-side-encryption-aws-kms-key-id"));
        assertThat(requests("CreateMultipartUpload")).isEmpty();
    }

    @Test
    void aContentTypeGoesWithThePutObjectOrTheCreateMultipartUploadAndPartsBelow5MiBAreRefused() throws Exception {
        S3Uploads uploads = uploads(null);
        try (S3UploadStream out = uploads.open("s3://" + BUCKET + "/typed.csv", "text/csv", S3Uploads.MIN_PART_SIZE)) {
            out.write(lines(5).getBytes(StandardCharsets.UTF_8));
            out.complete();
        }
        try (S3UploadStream out = uploads.open("s3://" + BUCKET + "/typed.json.gz", "application/gzip",
                S3Uploads.MIN_PART_SIZE)) {
            out.write(new byte[S3Uploads.MIN_PART_SIZE + 1]);
            out.complete();
        }

        assertThat(requests("PutObject")).singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("content-type", "text/csv"));
        assertThat(requests("CreateMultipartUpload")).singleElement()
                .satisfies(r -> assertThat(r.headers()).containsEntry("content-type", "application/gzip"));
        assertThat(requests("UploadPart")).hasSize(2);
        assertThat(AwsClients.s3().headObject(b -> b.bucket(BUCKET).key("typed.json.gz")).contentLength())
                .isEqualTo(S3Uploads.MIN_PART_SIZE + 1L);
        assertThatThrownBy(() -> uploads.open("s3://" + BUCKET + "/tiny-parts", null, S3Uploads.MIN_PART_SIZE - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below S3's least part size");
    }

    @Test
    void aKmsKeyPropertyRequestsSseKmsWithThatKey() throws Exception {
        S3Uploads uploads = uploads("alias/cruddur-exports");
        try (S3UploadStream out = uploads.open("s3://" + BUCKET + "/kms.csv", PART)) {
            out.write(lines(5).getBytes(StandardCharsets.UTF_8));
            out.complete();
        }

        assertThat(uploads.encryption()).isEqualTo("SSE-KMS (key alias/cruddur-exports)");
        assertThat(requests("PutObject")).singleElement().satisfies(r -> assertThat(r.headers())
                .containsEntry("x-amz-server-side-encryption", "aws:kms")
                .containsEntry("x-amz-server-side-encryption-aws-kms-key-id", "alias/cruddur-exports"));
    }

    @Test
    void anAbortedUploadLeavesNoObjectAndIsAbortedAtS3() throws Exception {
        proxy.fault((operation, body) -> operation.equals("AbortMultipartUpload") ? new AwsProxy.Response(204, "")
                : null);
        S3UploadStream out = uploads(null).open("s3://" + BUCKET + "/aborted.csv", PART);
        out.write(lines(8_000).getBytes(StandardCharsets.UTF_8));
        String uploadId = out.uploadId();
        assertThat(uploadId).isNotNull();

        out.close(); // without complete()

        assertThat(requests("AbortMultipartUpload")).singleElement()
                .satisfies(r -> assertThat(r.uri()).contains("uploadId=" + uploadId));
        assertThat(requests("CompleteMultipartUpload")).isEmpty();
        assertThatThrownBy(() -> AwsClients.s3().headObject(b -> b.bucket(BUCKET).key("aborted.csv")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void aPartRefusedMidUploadFailsNamingTheObjectAndAbortsTheUpload() throws Exception {
        proxy.fault((operation, body) -> switch (operation) {
            case "UploadPart" -> proxy.operations().stream().filter("UploadPart"::equals).count() > 2
                    ? AwsProxy.Response.s3Error(403, "AccessDenied", "refused by the test") : null;
            case "AbortMultipartUpload" -> new AwsProxy.Response(204, "");
            default -> null;
        });
        S3UploadStream out = uploads(null).open("s3://" + BUCKET + "/refused.csv", PART);

        assertThatThrownBy(() -> {
            out.write(lines(12_000).getBytes(StandardCharsets.UTF_8));
            out.complete();
        }).isInstanceOf(IOException.class).hasMessage("cannot write s3://" + BUCKET + "/refused.csv: access denied "
                + "(needs s3:PutObject on the object, and kms:GenerateDataKey on the key for SSE-KMS)");
        out.close();

        assertThat(requests("AbortMultipartUpload")).hasSize(1);
        assertThatThrownBy(() -> AwsClients.s3().headObject(b -> b.bucket(BUCKET).key("refused.csv")))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aBucketThatDoesNotExistIsOneLineBeforeAndAtTheUpload() {
        S3Uploads uploads = uploads(null);
        String location = "s3://no-such-bucket-" + System.nanoTime() + "/users.csv";

        assertThat(uploads.problemWith("output", location)).isEqualTo("output " + location + ": bucket "
                + location.substring(5, location.indexOf('/', 5)) + " does not exist");
        assertThat(uploads.problemWith("output", "s3://" + BUCKET + "/dir/")).isEqualTo("output s3://" + BUCKET
                + "/dir/ is a prefix; give the key of the object to write");
        assertThat(uploads.problemWith("output", "s3://" + BUCKET + "/fine.csv")).isNull();
        assertThatThrownBy(() -> {
            try (S3UploadStream out = uploads.open(location, PART)) {
                out.write(lines(3).getBytes(StandardCharsets.UTF_8));
                out.complete();
            }
        }).isInstanceOf(IOException.class).hasMessageStartingWith("cannot write " + location + ": bucket ")
                .hasMessageEndingWith(" does not exist");
    }
}
