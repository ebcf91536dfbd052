package com.cruddur.batch.aws;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@link S3Uploads}, for the jobs that can write to S3; listed for them in JobCatalog together with
 * {@link S3InputsConfiguration}, whose client it shares.
 */
@Configuration(proxyBeanMethods = false)
public class S3UploadsConfiguration {

    @Bean
    S3Uploads s3Uploads(S3Inputs s3Inputs, Environment environment) {
        return new S3Uploads(s3Inputs, environment);
    }
}
