package com.cruddur.batch.export;

import java.util.List;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.partition.Partitioning;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code table-export}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param pageSize null: DynamoDB's 1 MB pages
 * @param partitioning {@link Partitioning#LOCAL} or {@link Partitioning#REMOTE}
 */
public record TableExportParameters(String table, String dir, int segments, String format, boolean gzip, int threads,
        int chunkSize, Integer pageSize, String partitioning) {

    public static final String JOB = "table-export";

    static final ParameterSpec DIR = ParameterSpec.required("dir", "output folder, or s3://bucket/prefix (must not hold an export yet)")
            .withCheck(S3ExportFolder::dirProblem);
    static final ParameterSpec SEGMENTS = ParameterSpec.optional("segments", "8",
            "parallel Scan segments, 1-1000 (one file each)")
            .withCheck(v -> v.matches("\\d{1,4}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 1000 ? null
                    : "expected 1 to 1000");
    static final ParameterSpec FORMAT = ParameterSpec.optional("format", "json", "json (DynamoDB JSON lines) or csv")
            .oneOf("json", "csv");
    static final ParameterSpec GZIP = ParameterSpec.optional("gzip", "false", "compress the files (.gz)").bool();
    static final ParameterSpec THREADS = ParameterSpec.optional("threads", "4", "segments scanned at once")
            .positiveInt().nonIdentifying();
    /**
     * Larger than the other jobs': each commit writes the step's row and ExecutionContext to the job
     * repository, and a full-table export of small items makes many; 2000 gave about 10% less JVM CPU
     * than 500 at 200k items (docs/performance.md). A chunk is held in memory, so lower it for large items.
     */
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "2000",
            "items per commit (lower it for large items: a chunk is held in memory)").positiveInt().nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "parallel Scan of a table to DynamoDB JSON lines (AWS export format) or CSV, one file per segment, plus manifest.json",
            List.of(ExportSpecs.TABLE, DIR, SEGMENTS, FORMAT, GZIP, THREADS, CHUNK_SIZE, ExportSpecs.PAGE_SIZE,
                    Partitioning.SPEC),
            "java -jar target/cruddur-batch.jar table-export dir=exports/2026-03-24 segments=8 gzip=true");

    public static TableExportParameters of(JobParameters params) {
        return new TableExportParameters(ExportSpecs.TABLE.valueIn(params), DIR.valueIn(params),
                SEGMENTS.intIn(params), FORMAT.valueIn(params), GZIP.booleanIn(params), THREADS.intIn(params),
                CHUNK_SIZE.intIn(params), ExportSpecs.PAGE_SIZE.optionalIntIn(params), Partitioning.SPEC.valueIn(params));
    }

    boolean csv() {
        return "csv".equals(format);
    }

    boolean s3() {
        return S3Inputs.isS3(dir);
    }

    /** The data file (or object) of one segment, relative to dir. */
    String dataFile(int segment) {
        return TableExportJobConfiguration.dataFile(segment, segments, format, gzip);
    }
}
