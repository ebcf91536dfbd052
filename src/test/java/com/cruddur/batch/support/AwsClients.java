package com.cruddur.batch.support;

import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** SDK clients for tests to arrange and check state in the emulators directly. */
public final class AwsClients {

    private static DynamoDbClient dynamoDb;
    private static CognitoIdentityProviderClient cognito;
    private static S3Client s3;

    private AwsClients() {
    }

    public static synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = DynamoDbClient.builder().endpointOverride(Emulators.dynalite()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return dynamoDb;
    }

    public static synchronized CognitoIdentityProviderClient cognito() {
        if (cognito == null) {
            cognito = CognitoIdentityProviderClient.builder().endpointOverride(Emulators.cognitoLocal())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return cognito;
    }

    /**
     * The tests' s3rver, with its own key (it checks signatures) and path-style addressing. Plain bodies:
     * s3rver 3.7 does not decode the signed aws-chunked bodies (with checksum trailers) that the SDK sends over
     * http by default, and would store the chunk framing as the object's content.
     */
    public static synchronized S3Client s3() {
        if (s3 == null) {
            s3 = S3Client.builder().endpointOverride(Emulators.s3rver()).region(Region.US_EAST_1).forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return s3;
    }

    /** Waits until {@code table} is ACTIVE in the tests' dynalite. */
    public static void awaitTableActive(String table) {
        awaitTableActive(dynamoDb(), table);
    }

    /**
     * Waits until {@code table} is ACTIVE where {@code client} points (benchmarks may use another
     * dynalite). The SDK's default waiter polls every 20 s, while dynalite makes a table ACTIVE within
     * 50-500 ms: the same waiter polling every 50 ms keeps the suite short.
     */
    public static void awaitTableActive(DynamoDbClient client, String table) {
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                        .maxAttempts(600).build())
                .build()) {
            waiter.waitUntilTableExists(r -> r.tableName(table)); // throws when it never gets ACTIVE
        }
    }
}
