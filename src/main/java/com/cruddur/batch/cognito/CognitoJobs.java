package com.cruddur.batch.cognito;

/**
 * The name that {@link CognitoUserExportJobConfiguration} still refers to; it goes once that configuration
 * reads {@link CognitoUserExportParameters} too.
 */
public final class CognitoJobs {

    public static final String USER_EXPORT = CognitoUserExportParameters.JOB;

    private CognitoJobs() {
    }
}
