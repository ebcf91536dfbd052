package com.cruddur.batch.aws;

import java.io.IOException;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * A request that never reached its endpoint (connection refused, unknown host, timeout) fails with the
 * JDK's message, which names neither service nor address ({@code Connection refused}), and the run's
 * reason line is that deepest message. This gives the failure, after the SDK's retries, one message
 * naming service, operation and endpoint. The original is kept as suppressed (the log's stack trace
 * shows it) rather than as cause, so that the reason line is this message.
 */
final class UnreachableEndpointMessages implements ExecutionInterceptor {

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable failure = context.exception();
        if (!(failure instanceof SdkClientException) || failure instanceof AbortedException) {
            return failure;
        }
        IOException io = null;
        for (Throwable t = failure.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException e) {
                io = e;
            }
        }
        if (io == null || context.httpRequest().isEmpty()) {
            return failure;
        }
        SdkHttpRequest request = context.httpRequest().get();
        String endpoint = request.protocol() + "://" + request.host() + (request.port() > 0 ? ":" + request.port() : "");
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String why = io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
        SdkClientException named = SdkClientException.builder()
                .message("cannot reach " + service + " at " + endpoint + " (" + operation + "): " + why).build();
        named.addSuppressed(failure);
        return named;
    }
}
