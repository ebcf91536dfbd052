package com.cruddur.batch.aws;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The DynamoDB client every job shares: one HTTP connection pool, standard retries, resolved endpoints.
 * The Cognito and DynamoDB Streams clients are in their own configurations, which only the jobs that
 * use them load (a client's interface names every request type of its service: hundreds of classes).
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean
    AwsEndpoints awsEndpoints(CruddurProperties properties, Environment environment) {
        return AwsEndpoints.resolve(properties, environment);
    }

    @Bean(destroyMethod = "close")
    DynamoDbClient dynamoDbClient(AwsEndpoints endpoints, CruddurProperties properties) {
        return configure(DynamoDbClient.builder(), endpoints.dynamodb(), endpoints, properties)
                // Bulk writers keep several BatchWriteItem calls in flight.
                .httpClientBuilder(TlsOnFirstUse.httpClient().maxConnections(64))
                .build();
    }

    static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint, AwsEndpoints endpoints,
            CruddurProperties properties) {
        builder.region(Region.of(endpoints.region()))
                .credentialsProvider(credentials(AwsEndpoints.isLoopback(endpoint)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        // AWS's standard strategy knows the throttling error codes and backs off with jitter.
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(properties.aws().maxAttempts()).build())
                        .addExecutionInterceptor(new UnreachableEndpointMessages())
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /**
     * The AWS default chain always; emulators accept any key, so against loopback endpoints a
     * fixed dummy key is the fallback for machines that have no AWS credentials at all.
     */
    private static AwsCredentialsProvider credentials(boolean local) {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        if (!local) {
            return chain;
        }
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(chain, StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }
}
