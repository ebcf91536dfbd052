package com.cruddur.batch.aws;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

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
            // A configuration mistake, reported by the launcher as one line with exit 2.
            throw new InvalidConfigurationPropertyValueException("cruddur.aws.region", "",
                    "no AWS region: set AWS_REGION (or cruddur.aws.region)");
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

    /**
     * S3: {@code AWS_ENDPOINT_URL_S3} (the AWS tools' variable), then {@code AWS_ENDPOINT_URL}, then the SDK
     * default. Resolved only when a run is given an s3:// location.
     */
    public static URI s3(Environment env) {
        return uri(first(env.getProperty("AWS_ENDPOINT_URL_S3"), env.getProperty("AWS_ENDPOINT_URL")));
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
        return uri != null && isLoopbackHost(uri.getHost());
    }

    /**
     * True for {@code localhost}, an IPv4 literal in 127.0.0.0/8 and the IPv6 loopback {@code ::1} (with
     * or without brackets). The whole host is compared, never a prefix ({@code 127.example.invalid} is a
     * name, not a loopback address), and no name is resolved.
     */
    public static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] octets = h.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (h.contains(":") && h.matches("[0-9a-fA-F:.]+")) {
            try {
                // An IPv6 literal: parsed, not looked up.
                return InetAddress.getByName(h).isLoopbackAddress();
            }
            catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
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
