package com.cruddur.batch.support;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** SDK clients for tests to arrange and check state in the emulators directly. */
public final class AwsClients {

    private static DynamoDbClient dynamoDb;
    private static CognitoIdentityProviderClient cognito;

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
}
