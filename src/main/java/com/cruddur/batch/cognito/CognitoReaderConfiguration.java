package com.cruddur.batch.cognito;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * The ListUsers reader of both Cognito jobs, one per step (step-scoped), from their common parameters. A
 * refused pagination token starts the sync's listing over (its writes are idempotent); the export appends
 * to a file, so there it stops the step instead (see {@link CognitoUserExportJobConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class CognitoReaderConfiguration {

    @Bean
    @StepScope
    CognitoUserReader cognitoUserReader(CognitoIdentityProviderClient cognito,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        CognitoUserReaderBuilder reader = CognitoSpecs.reader(stepExecution.getJobParameters()).client(cognito);
        if (CognitoUserExportParameters.JOB.equals(stepExecution.getJobExecution().getJobInstance().getJobName())) {
            reader.maxListingRestarts(0);
        }
        return reader.build();
    }
}
