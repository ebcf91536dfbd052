package com.cruddur.batch;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionManagerCustomizationAutoConfiguration;

/**
 * The Spring Boot auto-configurations a launch uses, named rather than discovered: the data source
 * ({@code spring.datasource.*}: H2 or PostgreSQL), its transaction manager and {@code JdbcTemplate}s, the
 * job repository and operator ({@code spring.batch.*}), property placeholders and the task executor that
 * doubles as the context's bootstrap executor. {@code @EnableAutoConfiguration} would load every
 * candidate on the classpath at each start and evaluate its conditions (AOP, JMX, SSL bundles, project
 * info, health and metrics contributors, JTA, RabbitMQ, bean validation, Boot's job runner...): none of
 * them gives a launch anything, and their conditions cost a tenth of the context's start. RabbitMQ is
 * left to remote partitioning, which builds its own connection ({@code partition/RemotePartitioning}).
 * Bean validation too: no bean takes a {@code Validator}. The conditions of the listed ones still apply,
 * so a bean of our own (e.g. the execution-context serializer) still replaces Boot's.
 */
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
        LifecycleAutoConfiguration.class, TaskExecutionAutoConfiguration.class, DataSourceAutoConfiguration.class,
        DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
        TransactionManagerCustomizationAutoConfiguration.class, TransactionAutoConfiguration.class,
        BatchJdbcAutoConfiguration.class })
public class LaunchAutoConfigurations {
}
