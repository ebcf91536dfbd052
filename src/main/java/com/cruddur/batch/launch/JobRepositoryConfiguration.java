package com.cruddur.batch.launch;

import org.springframework.batch.core.repository.ExecutionContextSerializer;
import org.springframework.batch.core.repository.dao.JacksonExecutionContextStringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Execution contexts (the restart state of every step) are stored as JSON rather than Spring Batch's
 * default base64 Java serialisation, so an operator can read a job's position in the job repository
 * and a class change cannot make old restart state unreadable. Spring Boot's batch auto-configuration
 * picks this bean up.
 */
@Configuration(proxyBeanMethods = false)
public class JobRepositoryConfiguration {

    @Bean
    ExecutionContextSerializer executionContextSerializer() {
        return new JacksonExecutionContextStringSerializer();
    }
}
