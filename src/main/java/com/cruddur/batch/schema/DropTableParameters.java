package com.cruddur.batch.schema;

import java.time.Duration;
import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The parameters of {@code drop-table}: names, defaults, checks and help in {@link #DESCRIPTOR}. */
public record DropTableParameters(String table, String confirm, Duration waitFor) {

    public static final String JOB = "drop-table";

    static final ParameterSpec TABLE = ParameterSpec.required("table", "the table to delete").tableName();
    static final ParameterSpec CONFIRM = ParameterSpec.required("confirm", "the same table name again")
            .nonIdentifying();
    static final ParameterSpec WAIT_SECONDS = ParameterSpec.optional("wait-seconds", "120",
            "how long to wait for deletion").positiveInt(86_400).nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB, "delete a table and wait until it is gone",
            List.of(TABLE, CONFIRM, ProdSafety.PARAMETER, WAIT_SECONDS),
            "java -jar target/cruddur-batch.jar drop-table table=cruddur-messages confirm=cruddur-messages");

    public static DropTableParameters of(JobParameters params) {
        return new DropTableParameters(TABLE.valueIn(params), CONFIRM.valueIn(params), WAIT_SECONDS.secondsIn(params));
    }
}
