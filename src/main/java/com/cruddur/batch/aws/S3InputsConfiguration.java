package com.cruddur.batch.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** {@link S3Inputs}, for the jobs that read input files or export to S3; listed for them in JobCatalog. */
@Configuration(proxyBeanMethods = false)
public class S3InputsConfiguration {

    @Bean
    S3Inputs s3Inputs(CruddurProperties properties, Environment environment, AwsEndpoints endpoints) {
        return new S3Inputs(properties, environment, endpoints);
    }
}
