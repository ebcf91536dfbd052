package com.cruddur.batch;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;

/**
 * Spring configuration root for the commands that may touch any job (every component, by scan). Not
 * started directly: {@link com.cruddur.batch.launch.CruddurBatch} parses the command line first so that
 * help and bad parameters never pay for a context start. {@code @SpringBootApplication} without its
 * auto-configuration discovery: the same auto-configurations as a job launch ({@link LaunchAutoConfigurations}).
 */
@SpringBootConfiguration
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class) })
@ConfigurationPropertiesScan
@Import(LaunchAutoConfigurations.class)
public class CruddurBatchApplication {
}
