package com.cruddur.batch;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;

/**
 * The Spring Boot auto-configurations a launch uses, named rather than discovered: the data source
 * ({@code spring.datasource.*}: H2 or PostgreSQL), its transaction manager and {@code JdbcTemplate}s, the
 * job repository and operator ({@code spring.batch.*}), property placeholders, and Boot's task executor
 * (also the context's bootstrap executor). Their conditions still apply,
 * so a bean of our own (the execution-context serializer, the schema initializer) still replaces Boot's.
 * <p>
 * {@code @EnableAutoConfiguration} would load every candidate on the classpath at each start and evaluate
 * its conditions (AOP, JMX, SSL bundles, project info, health and metrics contributors, JTA, Boot's job
 * runner, ...): none of them gives a launch anything. Left out on purpose: RabbitMQ (remote partitioning
 * builds its own connection, {@code partition/RemotePartitioning}); bean validation (no bean takes a
 * {@code Validator}); transactions by annotation (nothing here or in Spring Batch is {@code @Transactional},
 * the job repository and operator make their own transactional proxies, so an auto-proxy creator would only
 * search every bean's methods for the annotation).
 */
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, LifecycleAutoConfiguration.class,
        TaskExecutionAutoConfiguration.class, DataSourceAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
        TransactionManagerCustomizationAutoConfiguration.class, BatchJdbcAutoConfiguration.class })
public class LaunchAutoConfigurations {
}
