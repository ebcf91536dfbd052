package com.cruddur.batch.dynamodb;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

/** Which BatchWriteItem failures are worth another attempt after a pause. */
final class BatchWriteErrors {

    private BatchWriteErrors() {
    }

    /**
     * Throttling only (ProvisionedThroughputExceeded, RequestLimitExceeded, ThrottlingException, HTTP
     * 429): the request was refused for its rate, not its content. Other errors (validation, a table
     * that does not exist, an endpoint that is down after the SDK's own retries) fail the chunk at once.
     */
    static boolean isRetryable(SdkException e) {
        if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException) {
            return true;
        }
        return e instanceof AwsServiceException service && service.isThrottlingException();
    }
}
