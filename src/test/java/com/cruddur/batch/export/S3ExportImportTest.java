package com.cruddur.batch.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.cruddur.batch.dynamodb.DynamoDbJson;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.support.AwsClients;
import com.cruddur.batch.support.AwsProxy;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.S3UploadsProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * table-export and table-import with {@code dir=s3://bucket/prefix} against a real s3rver (started once for
 * the JVM). s3rver 3.7.1 answers neither ListMultipartUploads nor AbortMultipartUpload; the jobs reach it
 * through {@link S3UploadsProxy}, which answers those two from s3rver's own record of its unfinished
 * uploads and forwards everything else, and can act as a stopped server.
 */
class S3ExportImportTest {

    private static final DynamoDbClient dynamoDb = AwsClients.dynamoDb();
    private static final String BUCKET = "exports-" + System.nanoTime();
    private static S3UploadsProxy s3;
    /** A few hundred items of every attribute type. */
    private static String small;
    private static List<Map<String, AttributeValue>> smallItems;
    /** 2000 items of about 10 KB: about 20 MB of DynamoDB JSON, several parts per segment. */
    private static String big;
    private static List<Map<String, AttributeValue>> bigItems;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        s3 = new S3UploadsProxy();
        AwsClients.s3().createBucket(b -> b.bucket(BUCKET));
        small = TestTables.create(dynamoDb, "s3-small");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            items.addAll(TestTables.conversation("s" + c, 30, 1500));
        }
        items.addAll(TestTables.oddItems());
        TestTables.put(dynamoDb, small, items);
        smallItems = TestTables.scanAll(dynamoDb, small);
        big = TestTables.create(dynamoDb, "s3-big");
        List<Map<String, AttributeValue>> many = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            many.addAll(TestTables.conversation("b" + c, 48, 10_000));
        }
        TestTables.put(dynamoDb, big, many);
        bigItems = TestTables.scanAll(dynamoDb, big);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    private static Cli cli() {
        return new Cli().property("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    }

    @Test
    void exportToS3DropImportFromS3ExportAgainGivesIdenticalItemsAndTheSameBytesAsALocalExport() throws Exception {
        Cli cli = cli();
        String table = TestTables.create(dynamoDb, "s3-roundtrip");
        TestTables.put(dynamoDb, table, smallItems);
        String first = "s3://" + BUCKET + "/roundtrip/first";
        Cli.Result exported = ok(cli.run("table-export", "table=" + table, "dir=" + first, "segments=3", "gzip=true"));
        assertThat(exported.out()).contains("exported " + smallItems.size() + " items of " + table + " to " + first
                + " (3 objects, manifest.json)");
        Path local = tmp.resolve("local");
        ok(cli.run("table-export", "table=" + table, "dir=" + local, "segments=3", "gzip=true"));

        Map<String, String> objects = objects("roundtrip/first");
        assertThat(objects).containsOnlyKeys("manifest.json", "data/segment-0000-of-0003.json.gz",
                "data/segment-0001-of-0003.json.gz", "data/segment-0002-of-0003.json.gz");
        ExportManifest manifest = manifest("roundtrip/first");
        ExportManifest localManifest = ExportManifest.readFrom(local.resolve("manifest.json"));
        assertThat(manifest.itemCount()).isEqualTo(smallItems.size());
        for (ExportManifest.DataFile file : manifest.files()) {
            // The checksum taken while uploading is that of the stored object...
            assertThat(objects.get(file.path())).isEqualTo(file.sha256());
        }
        // ...and the objects are byte for byte the files a local export of the same table writes.
        assertThat(manifest.files()).isEqualTo(localManifest.files());
        assertThat(s3.uploads(BUCKET)).isEmpty();

        ok(cli.run("drop-table", "table=" + table, "confirm=" + table));
        ok(cli.run("schema-load", "table=" + table));
        Cli.Result imported = ok(cli.run("table-import", "table=" + table, "dir=" + first, "chunk-size=100"));
        assertThat(imported.out()).contains("imported " + smallItems.size() + " items from " + first + " (3 files,");

        String second = "s3://" + BUCKET + "/roundtrip/second";
        ok(cli.run("table-export", "table=" + table, "dir=" + second, "segments=3", "gzip=true"));
        assertThat(TestTables.canonical(items("roundtrip/second")))
                .containsExactlyElementsOf(TestTables.canonical(items("roundtrip/first")))
                .containsExactlyElementsOf(TestTables.canonical(smallItems));
    }

    @Test
    void aSegmentLargerThanAPartIsUploadedInPartsOfAtLeast5MiBOnlyTheLastSmaller() throws Exception {
        s3.requests().clear();
        ok(cli().run("table-export", "table=" + big, "dir=s3://" + BUCKET + "/parts", "segments=1", "chunk-size=100"));

        List<Long> parts = s3.requests().stream().filter(r -> r.startsWith("PUT /" + BUCKET + "/parts/data/")
                && r.contains("partNumber=")).map(r -> Long.parseLong(r.substring(r.lastIndexOf(' ') + 1))).toList();
        long size = AwsClients.s3().headObject(b -> b.bucket(BUCKET).key("parts/data/segment-0000-of-0001.json"))
                .contentLength();
        assertThat(size).isGreaterThan(16L * 1024 * 1024);
        assertThat(parts).hasSizeGreaterThanOrEqualTo(3);
        assertThat(parts.subList(0, parts.size() - 1)).allSatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(5L << 20));
        assertThat(parts.get(parts.size() - 1)).isLessThan(8L << 20);
        assertThat(parts.stream().mapToLong(Long::longValue).sum()).isEqualTo(size);
        assertThat(TestTables.canonical(items("parts"))).containsExactlyElementsOf(TestTables.canonical(bigItems));
        assertThat(manifest("parts").files().get(0).sha256()).isEqualTo(objects("parts").get(
                "data/segment-0000-of-0001.json"));
        assertThat(s3.uploads(BUCKET)).isEmpty();
        // Server-side encryption asked for (SSE-S3 by default) on the data object and on the manifest.
        assertThat(s3.encrypted()).anyMatch(r -> r.startsWith("POST /" + BUCKET
                + "/parts/data/segment-0000-of-0001.json?uploads") && r.endsWith(" AES256"))
                .contains("PUT /" + BUCKET + "/parts/manifest.json AES256");
    }

    /**
     * A child JVM killed (SIGKILL) while its segments' multipart uploads are open, then the same command
     * again: each unfinished segment starts over, the uploads the killed run left are aborted, and the
     * objects and manifest are those of an uninterrupted run. The DynamoDB proxy only slows Scan down.
     */
    @Test
    void aKilledExportRelaunchedEndsWithTheObjectsOfAStraightRunAndNoUnfinishedUpload() throws Exception {
        String[] straight = {"table-export", "table=" + big, "dir=s3://" + BUCKET + "/straight", "segments=2"};
        ok(cli().run(straight));
        String prefix = "killed";
        String[] args = {"table-export", "table=" + big, "dir=s3://" + BUCKET + "/" + prefix, "segments=2",
                "chunk-size=50"};
        try (AwsProxy slow = new AwsProxy(Emulators.dynalite())) {
            Cli cli = cli().property("AWS_ENDPOINT_URL_DYNAMODB", slow.endpoint().toString());
            slow.fault((operation, body) -> {
                if (operation.equals("Scan")) {
                    sleep(400);
                }
                return null;
            });
            Process child = ChildLauncher.start(cli, args).process;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (uploadedParts(prefix) < 2) {
                    assertThat(System.nanoTime()).as("child never uploaded a part").isLessThan(deadline);
                    assertThat(child.isAlive()).as("child ended before it was killed").isTrue();
                    Thread.sleep(20);
                }
                child.destroyForcibly().waitFor();
            }
            finally {
                child.destroyForcibly();
            }
            assertThat(objects(prefix)).doesNotContainKey("manifest.json");
            assertThat(s3.uploads(BUCKET).values()).as("uploads the kill left")
                    .anyMatch(key -> key.startsWith(prefix + "/data/"));
            slow.fault((operation, body) -> null);

            Cli.Result resumed = ok(cli.run(args));
            assertThat(resumed.err()).contains("restarting instance");
        }
        assertThat(s3.uploads(BUCKET)).isEmpty();
        assertThat(proxyClient().listMultipartUploads(b -> b.bucket(BUCKET)).uploads()).isEmpty();
        assertThat(objects(prefix)).containsOnlyKeys("manifest.json", "data/segment-0000-of-0002.json",
                "data/segment-0001-of-0002.json");
        Map<String, String> killed = objects(prefix);
        Map<String, String> whole = objects("straight");
        killed.remove("manifest.json");
        whole.remove("manifest.json");
        assertThat(killed).isEqualTo(whole);
        assertThat(manifest(prefix).files()).isEqualTo(manifest("straight").files());
        assertThat(manifest(prefix).itemCount()).isEqualTo(bigItems.size());
    }

    @Test
    void s3StoppedMidRunFailsWithOneReasonAndTheRelaunchFinishesTheExport() throws Exception {
        Cli cli = cli().property("cruddur.aws.max-attempts", "2");
        String prefix = "stopped";
        String[] args = {"table-export", "table=" + big, "dir=s3://" + BUCKET + "/" + prefix, "segments=2",
                "chunk-size=50"};
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> cli.run(args));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (uploadedParts(prefix) < 1) {
                assertThat(System.nanoTime()).as("never uploaded a part").isLessThan(deadline);
                assertThat(run).as("ended before S3 was stopped").isNotDone();
                Thread.sleep(5);
            }
            s3.down(true);
            Cli.Result failed = run.get(180, TimeUnit.SECONDS);
            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(failed.out().lines().filter(l -> l.startsWith("reason: "))).as(failed.toString()).hasSize(1)
                    .first().asString().contains("s3://" + BUCKET + "/" + prefix + "/data/segment-000");
        }
        finally {
            s3.down(false);
        }
        assertThat(objects(prefix)).doesNotContainKey("manifest.json");

        ok(cli.run(args));
        assertThat(s3.uploads(BUCKET)).isEmpty();
        assertThat(TestTables.canonical(items(prefix))).containsExactlyElementsOf(TestTables.canonical(bigItems));
        assertThat(manifest(prefix).itemCount()).isEqualTo(bigItems.size());
    }

    /**
     * Writes refused by S3 (as for a role without s3:PutObject): a segment small enough for one PutObject
     * (put when its step ends) and a segment whose second part is refused both fail the run with one reason
     * naming the object; no object is completed, no manifest written, and the failed segment's multipart
     * upload is aborted at once, with no restart.
     */
    @Test
    void writesRefusedByS3FailTheRunNamingTheObjectWithNothingCompletedAndNoUploadLeft() throws Exception {
        Cli cli = cli();
        try {
            s3.deny(request -> request.startsWith("PUT /" + BUCKET + "/no-put/"));
            Cli.Result small = cli.run("table-export", "table=" + S3ExportImportTest.small,
                    "dir=s3://" + BUCKET + "/no-put", "segments=2");
            assertThat(small.exitCode()).as(small.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(reasons(small)).as(small.toString()).hasSize(1).first().asString()
                    .matches("reason: cannot write s3://" + BUCKET + "/no-put/data/segment-000[01]-of-0002\\.json: "
                            + "access denied \\(needs s3:PutObject on the object, and kms:GenerateDataKey on the key "
                            + "for SSE-KMS\\)");
            assertThat(objects("no-put")).isEmpty();

            s3.deny(request -> request.startsWith("PUT /" + BUCKET + "/no-part-2/") && request.matches(".*[?&]partNumber=2(&.*)?$"));
            Cli.Result big = cli.run("table-export", "table=" + S3ExportImportTest.big,
                    "dir=s3://" + BUCKET + "/no-part-2", "segments=1", "chunk-size=100");
            assertThat(big.exitCode()).as(big.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(reasons(big)).as(big.toString()).containsExactly("reason: cannot write s3://" + BUCKET
                    + "/no-part-2/data/segment-0000-of-0001.json: access denied (needs s3:PutObject on the object, and "
                    + "kms:GenerateDataKey on the key for SSE-KMS)");
            assertThat(objects("no-part-2")).isEmpty();
            assertThat(s3.uploads(BUCKET)).isEmpty();
        }
        finally {
            s3.deny(request -> false);
        }
    }

    @Test
    void aTamperedOrAMissingObjectIsRefusedBeforeAnythingIsImported() throws Exception {
        Cli cli = cli();
        ok(cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/tampered", "segments=2"));
        String key = "tampered/data/segment-0001-of-0002.json";
        String text = new String(AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(),
                StandardCharsets.UTF_8);
        assertThat(text).contains("lorem");
        AwsClients.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(text.replaceFirst("lorem",
                "LOREM")));
        String target = TestTables.create(dynamoDb, "s3-tampered");

        Cli.Result tampered = cli.run("table-import", "table=" + target, "dir=s3://" + BUCKET + "/tampered");

        assertThat(tampered.exitCode()).as(tampered.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(tampered.out()).contains("reason: data/segment-0001-of-0002.json: SHA-256 ",
                "differs from the manifest's", "nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();

        ok(cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/missing", "segments=2", "gzip=true"));
        AwsClients.s3().deleteObject(b -> b.bucket(BUCKET).key("missing/data/segment-0000-of-0002.json.gz"));

        Cli.Result missing = cli.run("table-import", "table=" + target, "dir=s3://" + BUCKET + "/missing");

        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(missing.out()).contains("reason: manifest lists data/segment-0000-of-0002.json.gz, which is missing "
                + "in s3://" + BUCKET + "/missing; nothing was imported");
        assertThat(TestTables.scanAll(dynamoDb, target)).isEmpty();

        Cli.Result noExport = cli.run("table-import", "table=" + target, "dir=s3://" + BUCKET + "/nothing-here");
        assertThat(noExport.exitCode()).as(noExport.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(noExport.out()).contains("reason: no manifest.json in s3://" + BUCKET + "/nothing-here: not a "
                + "table-export folder, or the export did not finish");
    }

    @Test
    void aMissingBucketAnOccupiedPrefixOrAForbiddenBucketIsOneReasonLineExit1AndNothingIsWritten() throws Exception {
        Cli cli = cli();
        String noBucket = "no-such-bucket-" + System.nanoTime();
        s3.requests().clear();
        Cli.Result missing = cli.run("table-export", "table=" + small, "dir=s3://" + noBucket + "/x");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(missing)).containsExactly("reason: bucket " + noBucket + " (of dir=s3://" + noBucket
                + "/x) does not exist; nothing was exported");
        assertThat(s3.requests()).allSatisfy(r -> assertThat(r).startsWith("HEAD "));
        assertThatBucketIsMissing(noBucket);

        Cli.Result unreachable = new Cli().property("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:1")
                .property("cruddur.aws.max-attempts", "2").run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/x");
        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(unreachable)).as(unreachable.toString()).hasSize(1).first().asString()
                .startsWith("reason: s3://" + BUCKET + "/x: cannot reach S3 at http://127.0.0.1:1 (HeadBucket): ")
                .endsWith("; nothing was exported");

        Cli.Result importMissing = cli.run("table-import", "table=" + small, "dir=s3://" + noBucket + "/x");
        assertThat(importMissing.exitCode()).as(importMissing.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(importMissing)).containsExactly("reason: bucket " + noBucket + " (of dir=s3://" + noBucket
                + "/x) does not exist; nothing was imported");

        // A prefix holding an old export (finished, or a data object of an unfinished one) is refused, untouched.
        ok(cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/old", "segments=2"));
        Map<String, String> old = objects("old");
        Cli.Result again = cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/old/", "segments=4");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(again)).containsExactly("reason: s3://" + BUCKET + "/old already holds an export "
                + "(manifest.json); choose another dir= or remove it");
        AwsClients.s3().deleteObject(b -> b.bucket(BUCKET).key("old/manifest.json"));
        Cli.Result leftovers = cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/old", "segments=4");
        assertThat(leftovers.exitCode()).as(leftovers.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(leftovers)).containsExactly("reason: s3://" + BUCKET + "/old already holds "
                + "data/segment-0000-of-0002.json (of another export); choose another dir= or remove it");
        old.remove("manifest.json");
        assertThat(objects("old")).isEqualTo(old);

        // s3rver refuses a key it does not know with 403, as S3 refuses a role the bucket's policy does not allow.
        System.setProperty("aws.accessKeyId", "NOT-S3RVER");
        System.setProperty("aws.secretAccessKey", "NOT-S3RVER");
        Cli.Result denied;
        try {
            denied = cli.run("table-export", "table=" + small, "dir=s3://" + BUCKET + "/denied");
        }
        finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(reasons(denied)).containsExactly("reason: bucket " + BUCKET + " (of dir=s3://" + BUCKET
                + "/denied): access denied (needs s3:ListBucket on the bucket); nothing was exported");
        assertThat(objects("denied")).isEmpty();
    }

    @Test
    void anS3DirWithoutBucketOrPrefixIsABadValueExit2() {
        Cli cli = cli();
        for (String[] bad : List.of(new String[] {"s3://", "no bucket given"},
                new String[] {"s3:///exports", "no bucket given"},
                new String[] {"s3://" + BUCKET, "give a prefix"},
                new String[] {"s3://" + BUCKET + "/", "give a prefix"},
                new String[] {"s3://" + BUCKET + "/a//b", "empty, '.' or '..' parts"},
                new String[] {"s3://" + BUCKET + "/a/../b", "empty, '.' or '..' parts"},
                new String[] {"s3://Not_A_Bucket/x", "is not a bucket name"})) {
            for (String job : List.of("table-export", "table-import")) {
                Cli.Result result = cli.run(job, "table=" + small, "dir=" + bad[0]);
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(result.err().lines()).as(result.toString()).hasSize(1).first().asString()
                        .startsWith("error: " + job + ": bad value for dir='" + bad[0] + "': expected s3://bucket/prefix")
                        .contains(bad[1]);
            }
        }
    }

    private static List<String> reasons(Cli.Result result) {
        return result.out().lines().filter(l -> l.startsWith("reason: ")).toList();
    }

    private static void assertThatBucketIsMissing(String bucket) {
        try {
            AwsClients.s3().headBucket(b -> b.bucket(bucket));
            throw new AssertionError("bucket " + bucket + " exists");
        }
        catch (NoSuchBucketException expected) {
            // as it should be
        }
        catch (S3Exception e) {
            assertThat(e.statusCode()).isEqualTo(404);
        }
    }

    private static Cli.Result ok(Cli.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    /** Parts uploaded so far under the prefix. */
    private static long uploadedParts(String prefix) {
        return s3.requests().stream().filter(r -> r.startsWith("PUT /" + BUCKET + "/" + prefix + "/data/")
                && r.contains("partNumber=")).count();
    }

    /** Every object under the prefix: relative key -> SHA-256 of its bytes. */
    private static Map<String, String> objects(String prefix) throws Exception {
        Map<String, String> objects = new TreeMap<>();
        for (S3Object object : AwsClients.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + "/"))
                .contents()) {
            byte[] bytes = AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asByteArray();
            objects.put(object.key().substring(prefix.length() + 1),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        return objects;
    }

    private static ExportManifest manifest(String prefix) {
        byte[] bytes = AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(prefix + "/manifest.json"))
                .asByteArray();
        return ExportManifest.readFrom(new ByteArrayInputStream(bytes), prefix);
    }

    /** Every line of the prefix's data objects, parsed. */
    private static List<Map<String, AttributeValue>> items(String prefix) throws IOException {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (S3Object object : AwsClients.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix + "/data/"))
                .contents()) {
            byte[] bytes = AwsClients.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asByteArray();
            InputStream in = new ByteArrayInputStream(bytes);
            if (object.key().endsWith(".gz")) {
                in = new GZIPInputStream(in);
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line : reader.lines().toList()) {
                    items.add(DynamoDbJson.fromExportLine(line));
                }
            }
        }
        return items;
    }

    /** A client to the proxy, for the ListMultipartUploads a user would call. */
    private static S3Client proxyClient() {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
