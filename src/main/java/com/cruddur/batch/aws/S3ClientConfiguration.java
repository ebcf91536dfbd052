package com.cruddur.batch.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * S3 for the jobs that read or write s3:// locations (listed for them in JobCatalog): {@link S3Inputs}
 * and {@link S3Uploads}, sharing one client, which is built only when a location is an s3:// one.
 */
@Configuration(proxyBeanMethods = false)
public class S3ClientConfiguration {

    @Bean
    S3Inputs s3Inputs(CruddurProperties properties, Environment environment, AwsEndpoints endpoints) {
        return new S3Inputs(properties, environment, endpoints);
    }

    @Bean
    S3Uploads s3Uploads(S3Inputs s3Inputs) {
        return s3Inputs.uploads();
    }
}
