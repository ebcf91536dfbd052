package com.cruddur.batch.aws;


import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** The Cognito client, for the Cognito jobs only (JobCatalog). */
@Configuration(proxyBeanMethods = false)
public class CognitoClientConfiguration {

    @Bean(destroyMethod = "close")
    CognitoIdentityProviderClient cognitoClient(AwsEndpoints endpoints, CruddurProperties properties) {
        return AwsClientsConfiguration.configure(CognitoIdentityProviderClient.builder(), endpoints.cognito(),
                endpoints, properties)
                .httpClientBuilder(TlsOnFirstUse.httpClient())
                .build();
    }
}
