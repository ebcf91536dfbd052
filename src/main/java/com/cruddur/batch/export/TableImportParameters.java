package com.cruddur.batch.export;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.partition.Partitioning;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code table-import}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param partitioning {@link Partitioning#LOCAL} or {@link Partitioning#REMOTE}
 */
public record TableImportParameters(String table, String dir, int threads, int concurrency, int chunkSize,
        String partitioning) {

    public static final String JOB = "table-import";

    static final ParameterSpec DIR = ParameterSpec.required("dir", "the export folder, or s3://bucket/prefix (holding manifest.json)")
            .withCheck(S3ExportFolder::dirProblem);
    static final ParameterSpec THREADS = ParameterSpec.optional("threads", "2", "files loaded at once").positiveInt()
            .nonIdentifying();
    static final ParameterSpec CONCURRENCY = ParameterSpec.optional("concurrency", "4",
            "BatchWriteItem requests in flight per file").positiveInt().nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "load a table-export folder into a table (BatchWriteItem); checks manifest, checksums and key schema first",
            List.of(ExportSpecs.TABLE, DIR, THREADS, CONCURRENCY, ExportSpecs.CHUNK_SIZE, ProdSafety.PARAMETER,
                    Partitioning.SPEC),
            "java -jar target/cruddur-batch.jar table-import dir=exports/2026-03-24 table=cruddur-messages-restored");

    public static TableImportParameters of(JobParameters params) {
        return new TableImportParameters(ExportSpecs.TABLE.valueIn(params), DIR.valueIn(params),
                THREADS.intIn(params), CONCURRENCY.intIn(params), ExportSpecs.CHUNK_SIZE.intIn(params),
                Partitioning.SPEC.valueIn(params));
    }
}
