package com.cruddur.batch.schema;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The parameters of {@code list-tables}: names, defaults, checks and help in {@link #DESCRIPTOR}. */
public record ListTablesParameters(String prefix) {

    public static final String JOB = "list-tables";

    static final ParameterSpec PREFIX = ParameterSpec.optional("prefix", null, "only names starting with this");

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "list every DynamoDB table (all pages), one per line, then the count", List.of(PREFIX),
            "java -jar target/cruddur-batch.jar list-tables");

    public static ListTablesParameters of(JobParameters params) {
        String prefix = PREFIX.valueIn(params);
        return new ListTablesParameters(prefix == null ? "" : prefix);
    }
}
