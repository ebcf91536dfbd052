package com.cruddur.batch.export;

import com.cruddur.batch.job.ParameterSpec;

/** The parameters that the export, import and read-pattern jobs share. */
final class ExportSpecs {

    static final ParameterSpec TABLE = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "500", "items per commit")
            .positiveInt().nonIdentifying();
    static final ParameterSpec PAGE_SIZE = ParameterSpec.optional("page-size", null,
            "items per Scan/Query page (default: DynamoDB's 1 MB pages)").positiveInt().nonIdentifying();
    /** Of the read-pattern jobs. */
    static final ParameterSpec FORMAT = ParameterSpec.optional("format", "text",
            "text (a readable table) or json (JSON lines)").oneOf("text", "json");
    /** Of the read-pattern jobs. */
    static final ParameterSpec OUTPUT = ParameterSpec.optional("output", null, "file to write (default: stdout)");

    private ExportSpecs() {
    }
}
