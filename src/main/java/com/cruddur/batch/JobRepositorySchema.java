package com.cruddur.batch;

import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSource;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The job repository's schema is created only when it is missing. Spring Boot's initializer with
 * {@code initialize-schema: always} runs the whole DDL script on every start and ignores the errors of
 * the objects that exist; one query for the script's tables and sequences replaces that work on every
 * launch after the first. Modes {@code never} and {@code embedded} behave as in Spring Boot.
 */
@Configuration(proxyBeanMethods = false)
public class JobRepositorySchema {

    private static final Log logger = LogFactory.getLog(JobRepositorySchema.class);

    /** What Spring Batch's schema script creates, the sequences last. */
    static final List<String> OBJECTS = List.of("JOB_INSTANCE", "JOB_EXECUTION", "JOB_EXECUTION_PARAMS",
            "STEP_EXECUTION", "STEP_EXECUTION_CONTEXT", "JOB_EXECUTION_CONTEXT", "STEP_EXECUTION_SEQ",
            "JOB_EXECUTION_SEQ", "JOB_INSTANCE_SEQ");

    /** Replaces Spring Boot's initializer of the same type (it backs off when this bean exists). */
    @Bean
    BatchDataSourceScriptDatabaseInitializer batchDataSourceInitializer(DataSource dataSource,
            @BatchDataSource ObjectProvider<DataSource> batchDataSource, BatchJdbcProperties properties) {
        DataSource repository = batchDataSource.getIfAvailable(() -> dataSource);
        return new BatchDataSourceScriptDatabaseInitializer(repository, properties) {
            @Override
            public boolean initializeDatabase() {
                return !exists(repository, properties.getTablePrefix()) && super.initializeDatabase();
            }
        };
    }

    /** Whether every table and sequence of the schema is there (any doubt: no, and the script runs). */
    static boolean exists(DataSource dataSource, String tablePrefix) {
        String prefix = tablePrefix != null ? tablePrefix : "BATCH_";
        int dot = prefix.lastIndexOf('.');
        String schema = dot < 0 ? null : prefix.substring(0, dot);
        String name = prefix.substring(dot + 1).toUpperCase();
        // information_schema is in H2 and PostgreSQL alike; names compared without case, as they store them differently.
        String where = " where upper(" + "%s" + ") in (" + String.join(",",
                OBJECTS.stream().map(o -> "'" + name + o + "'").toList()) + ") and "
                + (schema == null ? "%s = current_schema" : "upper(%s) = upper(?)");
        String sql = "select (select count(*) from information_schema.tables"
                + where.formatted("table_name", "table_schema") + ") + (select count(*) from information_schema.sequences"
                + where.formatted("sequence_name", "sequence_schema") + ")";
        try {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            Integer found = schema == null ? jdbc.queryForObject(sql, Integer.class)
                    : jdbc.queryForObject(sql, Integer.class, schema, schema);
            return found != null && found == OBJECTS.size();
        }
        catch (RuntimeException e) {
            logger.debug("job repository schema check failed, running the schema script: " + e.getMessage());
            return false;
        }
    }
}
