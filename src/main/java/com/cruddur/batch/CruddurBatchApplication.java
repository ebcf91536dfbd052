package com.cruddur.batch;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Spring configuration root. Not started directly: {@link com.cruddur.batch.launch.CruddurBatch}
 * parses the command line first so that help and bad parameters never pay for a context start. RabbitMQ is
 * not auto-configured: only remote partitioning uses it (partition/RemotePartitioning); nor is bean validation
 * (see {@link JobLaunchConfiguration}).
 */
@SpringBootApplication(exclude = { RabbitAutoConfiguration.class, ValidationAutoConfiguration.class })
@ConfigurationPropertiesScan
public class CruddurBatchApplication {
}
