package com.cruddur.batch.aws;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Typed settings under {@code cruddur.*} (jobs-config/application.yml). Validated at start-up, so a
 * bad table name or endpoint stops the launch with one line naming the property.
 */
@Validated
@ConfigurationProperties("cruddur")
public record CruddurProperties(@Valid @DefaultValue Aws aws, @Valid @DefaultValue Dynamodb dynamodb,
        @Valid @DefaultValue Cognito cognito) {

    /** Endpoints empty means the SDK's own (real AWS); the AWS_ENDPOINT_URL* variables win over both. */
    private static final String ENDPOINT = "^$|^https?://[^\\s/]+(:\\d+)?/?$";

    public record Aws(
            @Pattern(regexp = "^$|^[a-z]{2}(-[a-z]+)+-\\d+$", message = "must be an AWS region such as us-east-1")
            @DefaultValue("") String region,
            @Min(1) @Max(20) @DefaultValue("8") int maxAttempts) {
    }

    public record Dynamodb(
            @Pattern(regexp = ENDPOINT, message = "must be an http(s)://host[:port] URL or empty") @DefaultValue("") String endpoint,
            @NotBlank @Pattern(regexp = "^[a-zA-Z0-9_.-]{3,255}$", message = "must be 3-255 characters of a-z A-Z 0-9 _ . -")
            @DefaultValue("cruddur-messages") String tableName,
            @NotBlank @Pattern(regexp = "^[a-zA-Z0-9_.-]{3,255}$", message = "must be 3-255 characters of a-z A-Z 0-9 _ . -")
            @DefaultValue("message-group-sk-index") String indexName,
            // DynamoDB Streams is its own service (streams.dynamodb.<region>.amazonaws.com) with its own endpoint.
            @Pattern(regexp = ENDPOINT, message = "must be an http(s)://host[:port] URL or empty") @DefaultValue("") String streamsEndpoint) {
    }

    public record Cognito(
            @Pattern(regexp = ENDPOINT, message = "must be an http(s)://host[:port] URL or empty") @DefaultValue("") String endpoint,
            @Pattern(regexp = "^$|^[\\w-]+_[0-9a-zA-Z]+$", message = "must be a user pool id such as us-east-1_AbC123")
            @DefaultValue("") String userPoolId) {
    }
}
