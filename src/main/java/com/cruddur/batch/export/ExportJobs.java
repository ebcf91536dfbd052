package com.cruddur.batch.export;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.partition.Partitioning;

/** Command-line descriptions of the export, import and read-pattern jobs. */
public final class ExportJobs {

    public static final String TABLE_EXPORT = "table-export";
    public static final String TABLE_IMPORT = "table-import";
    public static final String CONVERSATION_EXPORT = "conversation-export";
    public static final String MESSAGE_GROUP_EXPORT = "message-group-export";

    static final ParameterSpec TABLE = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "500", "items per commit")
            .positiveInt().nonIdentifying();
    /**
     * Larger for table-export: each commit writes the step's row and ExecutionContext to the job
     * repository, and a full-table export of small items makes many; 2000 gave about 10% less JVM CPU
     * than 500 at 200k items (docs/performance.md). A chunk is held in memory, so lower it for large items.
     */
    static final ParameterSpec TABLE_EXPORT_CHUNK_SIZE = ParameterSpec.optional("chunk-size", "2000",
            "items per commit (lower it for large items: a chunk is held in memory)").positiveInt().nonIdentifying();
    static final ParameterSpec PAGE_SIZE = ParameterSpec.optional("page-size", null,
            "items per Scan/Query page (default: DynamoDB's 1 MB pages)").positiveInt().nonIdentifying();

    public static final List<JobDescriptor> DESCRIPTORS = List.of(
            new JobDescriptor(TABLE_EXPORT,
                    "parallel Scan of a table to DynamoDB JSON lines (AWS export format) or CSV, one file per segment, plus manifest.json",
                    List.of(TABLE,
                            ParameterSpec.required("dir", "output folder (must not hold an export yet)"),
                            ParameterSpec.optional("segments", "8", "parallel Scan segments, 1-1000 (one file each)")
                                    .withCheck(v -> v.matches("\\d{1,4}") && Integer.parseInt(v) >= 1
                                            && Integer.parseInt(v) <= 1000 ? null : "expected 1 to 1000"),
                            ParameterSpec.optional("format", "json", "json (DynamoDB JSON lines) or csv").oneOf("json", "csv"),
                            ParameterSpec.optional("gzip", "false", "compress the files (.gz)").bool(),
                            ParameterSpec.optional("threads", "4", "segments scanned at once").positiveInt().nonIdentifying(),
                            TABLE_EXPORT_CHUNK_SIZE, PAGE_SIZE, Partitioning.SPEC),
                    "java -jar target/cruddur-batch.jar table-export dir=exports/2026-03-24 segments=8 gzip=true"),
            new JobDescriptor(TABLE_IMPORT,
                    "load a table-export folder into a table (BatchWriteItem); checks manifest, checksums and key schema first",
                    List.of(TABLE,
                            ParameterSpec.required("dir", "the export folder (holding manifest.json)"),
                            ParameterSpec.optional("threads", "2", "files loaded at once").positiveInt().nonIdentifying(),
                            ParameterSpec.optional("concurrency", "4", "BatchWriteItem requests in flight per file")
                                    .positiveInt().nonIdentifying(),
                            CHUNK_SIZE, ProdSafety.PARAMETER, Partitioning.SPEC),
                    "java -jar target/cruddur-batch.jar table-import dir=exports/2026-03-24 table=cruddur-messages-restored"),
            new JobDescriptor(CONVERSATION_EXPORT,
                    "the messages of one group in a time window, oldest first (the app's pattern A), as text or JSON lines",
                    List.of(TABLE,
                            ParameterSpec.required("group", "message_group_uuid").uuid(),
                            ParameterSpec.optional("from", null, "first instant, inclusive (default: all time)").instant(),
                            ParameterSpec.optional("to", null, "last instant, exclusive (default: all time)").instant()
                                    .notBefore("from"),
                            ParameterSpec.optional("format", "text", "text (a readable table) or json (JSON lines)")
                                    .oneOf("text", "json"),
                            ParameterSpec.optional("output", null, "file to write (default: stdout)"),
                            CHUNK_SIZE, PAGE_SIZE),
                    "java -jar target/cruddur-batch.jar conversation-export group=71ab8c22-d40b-366c-82e3-f6217b78a416"),
            new JobDescriptor(MESSAGE_GROUP_EXPORT,
                    "the message groups of one user, newest first, with the other participant and the last message (pattern B)",
                    List.of(TABLE,
                            ParameterSpec.optional("handle", null, "the user's handle (looked up in users); or user="),
                            ParameterSpec.optional("user", null, "the user's uuid; or handle=").uuid(),
                            ParameterSpec.optional("format", "text", "text (a readable table) or json (JSON lines)")
                                    .oneOf("text", "json"),
                            ParameterSpec.optional("output", null, "file to write (default: stdout)"),
                            CHUNK_SIZE, PAGE_SIZE),
                    "java -jar target/cruddur-batch.jar message-group-export handle=lena"));

    private ExportJobs() {
    }
}
