package com.cruddur.batch.schema;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;

/** Command-line descriptions of the table admin jobs. */
public final class SchemaJobs {

    public static final String SCHEMA_LOAD = "schema-load";
    public static final String LIST_TABLES = "list-tables";
    public static final String DROP_TABLE = "drop-table";

    static final ParameterSpec TABLE = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();

    public static final List<JobDescriptor> DESCRIPTORS = List.of(
            new JobDescriptor(SCHEMA_LOAD,
                    "create the messages table (keys, GSI, stream) and wait until ACTIVE; report drift if it exists",
                    List.of(TABLE,
                            ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name", "GSI name"),
                            ParameterSpec.optional("billing", "pay-per-request", "billing mode")
                                    .oneOf("pay-per-request", "provisioned"),
                            ParameterSpec.optional("read-capacity", "5", "read units, with billing=provisioned")
                                    .positiveInt(),
                            ParameterSpec.optional("write-capacity", "5", "write units, with billing=provisioned")
                                    .positiveInt(),
                            ParameterSpec.optional("wait-seconds", "120", "how long to wait for ACTIVE")
                                    .positiveInt(86_400).nonIdentifying()),
                    "java -jar target/cruddur-batch.jar schema-load table=cruddur-messages"),
            new JobDescriptor(LIST_TABLES, "list every DynamoDB table (all pages), one per line, then the count",
                    List.of(ParameterSpec.optional("prefix", null, "only names starting with this")),
                    "java -jar target/cruddur-batch.jar list-tables"),
            new JobDescriptor(DROP_TABLE, "delete a table and wait until it is gone",
                    List.of(ParameterSpec.required("table", "the table to delete").tableName(),
                            ParameterSpec.required("confirm", "the same table name again").nonIdentifying(),
                            ProdSafety.PARAMETER,
                            ParameterSpec.optional("wait-seconds", "120", "how long to wait for deletion")
                                    .positiveInt(86_400).nonIdentifying()),
                    "java -jar target/cruddur-batch.jar drop-table table=cruddur-messages confirm=cruddur-messages"));

    private SchemaJobs() {
    }
}
