package com.cruddur.batch.aws;

import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Typed settings under {@code cruddur.*} (jobs-config/application.yml). Checked at start-up, so a
 * bad table name or endpoint stops the launch with one line naming the property. The checks are plain
 * code run by Boot's binder (a {@link Validator} properties class validates itself): a handful of
 * patterns and a range do not need a Bean Validation provider, whose bootstrap (Hibernate Validator,
 * about 540 classes) every launch paid for.
 */
@ConfigurationProperties("cruddur")
public record CruddurProperties(@DefaultValue Aws aws, @DefaultValue Dynamodb dynamodb,
        @DefaultValue Cognito cognito) implements Validator {

    /** Endpoints empty means the SDK's own (real AWS); the AWS_ENDPOINT_URL* variables win over both. */
    private static final Pattern ENDPOINT = Pattern.compile("^$|^https?://[^\\s/]+(:\\d+)?/?$");
    private static final String ENDPOINT_MESSAGE = "must be an http(s)://host[:port] URL or empty";
    private static final Pattern REGION = Pattern.compile("^$|^[a-z]{2}(-[a-z]+)+-\\d+$");
    private static final Pattern TABLE_OR_INDEX = Pattern.compile("^[a-zA-Z0-9_.-]{3,255}$");
    private static final String TABLE_OR_INDEX_MESSAGE = "must be 3-255 characters of a-z A-Z 0-9 _ . -";
    private static final Pattern USER_POOL_ID = Pattern.compile("^$|^[\\w-]+_[0-9a-zA-Z]+$");
    static final int MAX_ATTEMPTS_MIN = 1;
    static final int MAX_ATTEMPTS_MAX = 20;

    public record Aws(@DefaultValue("") String region, @DefaultValue("8") int maxAttempts) {
    }

    public record Dynamodb(@DefaultValue("") String endpoint, @DefaultValue("cruddur-messages") String tableName,
            @DefaultValue("message-group-sk-index") String indexName,
            // DynamoDB Streams is its own service (streams.dynamodb.<region>.amazonaws.com) with its own endpoint.
            @DefaultValue("") String streamsEndpoint) {
    }

    public record Cognito(@DefaultValue("") String endpoint, @DefaultValue("") String userPoolId) {
    }

    @Override
    public boolean supports(Class<?> type) {
        return CruddurProperties.class.isAssignableFrom(type);
    }

    /** Each error names the property as it is bound ({@code aws.maxAttempts}), with the rule it breaks. */
    @Override
    public void validate(Object target, Errors errors) {
        CruddurProperties properties = (CruddurProperties) target;
        Aws aws = properties.aws();
        matches(errors, "aws.region", aws.region(), REGION, "must be an AWS region such as us-east-1");
        if (aws.maxAttempts() < MAX_ATTEMPTS_MIN) {
            errors.rejectValue("aws.maxAttempts", "Min", "must be greater than or equal to " + MAX_ATTEMPTS_MIN);
        }
        else if (aws.maxAttempts() > MAX_ATTEMPTS_MAX) {
            errors.rejectValue("aws.maxAttempts", "Max", "must be less than or equal to " + MAX_ATTEMPTS_MAX);
        }
        Dynamodb dynamodb = properties.dynamodb();
        matches(errors, "dynamodb.endpoint", dynamodb.endpoint(), ENDPOINT, ENDPOINT_MESSAGE);
        notBlankAndMatches(errors, "dynamodb.tableName", dynamodb.tableName(), TABLE_OR_INDEX, TABLE_OR_INDEX_MESSAGE);
        notBlankAndMatches(errors, "dynamodb.indexName", dynamodb.indexName(), TABLE_OR_INDEX, TABLE_OR_INDEX_MESSAGE);
        matches(errors, "dynamodb.streamsEndpoint", dynamodb.streamsEndpoint(), ENDPOINT, ENDPOINT_MESSAGE);
        Cognito cognito = properties.cognito();
        matches(errors, "cognito.endpoint", cognito.endpoint(), ENDPOINT, ENDPOINT_MESSAGE);
        matches(errors, "cognito.userPoolId", cognito.userPoolId(), USER_POOL_ID,
                "must be a user pool id such as us-east-1_AbC123");
    }

    private static void notBlankAndMatches(Errors errors, String field, String value, Pattern pattern, String message) {
        if (value == null || value.isBlank()) {
            errors.rejectValue(field, "NotBlank", "must not be blank");
        }
        else {
            matches(errors, field, value, pattern, message);
        }
    }

    /** Like {@code @Pattern}: null passes (a missing value is not a malformed one). */
    private static void matches(Errors errors, String field, String value, Pattern pattern, String message) {
        if (value != null && !pattern.matcher(value).matches()) {
            errors.rejectValue(field, "Pattern", message);
        }
    }
}
