package com.cruddur.batch.aws;


import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** The DynamoDB Streams client, for message-group-replay only (JobCatalog). */
@Configuration(proxyBeanMethods = false)
public class DynamoDbStreamsClientConfiguration {

    /** Lazy: only the stream source of message-group-replay talks to DynamoDB Streams. */
    @Bean(destroyMethod = "close")
    @Lazy
    DynamoDbStreamsClient dynamoDbStreamsClient(AwsEndpoints endpoints, CruddurProperties properties,
            Environment environment) {
        return AwsClientsConfiguration.configure(DynamoDbStreamsClient.builder(),
                AwsEndpoints.dynamodbStreams(properties, environment), endpoints, properties)
                .httpClientBuilder(TlsOnFirstUse.httpClient())
                .build();
    }
}
