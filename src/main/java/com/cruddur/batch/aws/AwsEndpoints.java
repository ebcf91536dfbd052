package com.cruddur.batch.aws;

import java.net.URI;

import org.springframework.core.env.Environment;

/**
 * Endpoints and region after applying the AWS tools' convention: {@code AWS_ENDPOINT_URL_DYNAMODB},
 * {@code AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER}, then {@code AWS_ENDPOINT_URL}, then our
 * configuration, then the SDK default (null). Region: configuration, then {@code AWS_REGION}.
 */
public record AwsEndpoints(URI dynamodb, URI cognito, String region) {

    public static AwsEndpoints resolve(CruddurProperties properties, Environment env) {
        String region = first(properties.aws().region(), env.getProperty("AWS_REGION"),
                env.getProperty("AWS_DEFAULT_REGION"));
        if (region == null) {
            throw new IllegalStateException("no AWS region: set cruddur.aws.region or AWS_REGION");
        }
        return new AwsEndpoints(
                uri(first(env.getProperty("AWS_ENDPOINT_URL_DYNAMODB"), env.getProperty("AWS_ENDPOINT_URL"),
                        properties.dynamodb().endpoint())),
                uri(first(env.getProperty("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"),
                        env.getProperty("AWS_ENDPOINT_URL"), properties.cognito().endpoint())),
                region);
    }

    /**
     * DynamoDB Streams, a service of its own: {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS} (the AWS tools'
     * variable for it), then {@code AWS_ENDPOINT_URL}, then {@code cruddur.dynamodb.streams-endpoint}, then
     * the SDK default. {@code AWS_ENDPOINT_URL_DYNAMODB} does not apply, as in the AWS tools.
     */
    public static URI dynamodbStreams(CruddurProperties properties, Environment env) {
        return uri(first(env.getProperty("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"), env.getProperty("AWS_ENDPOINT_URL"),
                properties.dynamodb().streamsEndpoint()));
    }

    /** True when DynamoDB is an emulator on this machine (dynalite), not an AWS service. */
    public boolean dynamodbIsLocal() {
        return isLoopback(dynamodb);
    }

    public boolean cognitoIsLocal() {
        return isLoopback(cognito);
    }

    public String describeDynamodb() {
        return dynamodb == null ? "AWS DynamoDB in " + region : dynamodb.toString();
    }

    static boolean isLoopback(URI uri) {
        if (uri == null || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost();
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static URI uri(String value) {
        return value == null ? null : URI.create(value);
    }
}
