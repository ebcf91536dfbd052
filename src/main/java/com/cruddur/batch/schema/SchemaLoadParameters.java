package com.cruddur.batch.schema;

import java.time.Duration;
import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;

/** The parameters of {@code schema-load}: names, defaults, checks and help in {@link #DESCRIPTOR}. */
public record SchemaLoadParameters(String table, String index, boolean provisioned, int readCapacity,
        int writeCapacity, Duration waitFor) {

    public static final String JOB = "schema-load";

    static final ParameterSpec TABLE = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec INDEX = ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name", "GSI name");
    static final ParameterSpec BILLING = ParameterSpec.optional("billing", "pay-per-request", "billing mode")
            .oneOf("pay-per-request", "provisioned");
    static final ParameterSpec READ_CAPACITY = ParameterSpec.optional("read-capacity", "5",
            "read units, with billing=provisioned").positiveInt();
    static final ParameterSpec WRITE_CAPACITY = ParameterSpec.optional("write-capacity", "5",
            "write units, with billing=provisioned").positiveInt();
    static final ParameterSpec WAIT_SECONDS = ParameterSpec.optional("wait-seconds", "120",
            "how long to wait for ACTIVE").positiveInt(86_400).nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "create the messages table (keys, GSI, stream) and wait until ACTIVE; report drift if it exists",
            List.of(TABLE, INDEX, BILLING, READ_CAPACITY, WRITE_CAPACITY, WAIT_SECONDS),
            "java -jar target/cruddur-batch.jar schema-load table=cruddur-messages");

    public static SchemaLoadParameters of(JobParameters params) {
        return new SchemaLoadParameters(TABLE.valueIn(params), INDEX.valueIn(params),
                "provisioned".equalsIgnoreCase(BILLING.valueIn(params)), READ_CAPACITY.intIn(params),
                WRITE_CAPACITY.intIn(params), WAIT_SECONDS.secondsIn(params));
    }

    /** Null for PAY_PER_REQUEST. */
    ProvisionedThroughput throughput() {
        return provisioned ? ProvisionedThroughput.builder().readCapacityUnits((long) readCapacity)
                .writeCapacityUnits((long) writeCapacity).build() : null;
    }
}
