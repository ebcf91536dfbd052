package com.cruddur.batch.cognito;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The parameters of {@code cognito-user-export}: names, defaults, checks and help in {@link #DESCRIPTOR}. */
public record CognitoUserExportParameters(String poolId, String output, String format, int chunkSize) {

    public static final String JOB = "cognito-user-export";

    static final ParameterSpec OUTPUT = ParameterSpec.required("output",
            "file, or s3://bucket/key, to write (replaced if it exists; an S3 object only when the export completes)");
    static final ParameterSpec FORMAT = ParameterSpec.optional("format", "csv", "csv or jsonl").oneOf("csv", "jsonl");

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "every user of a pool (all pages) to CSV or JSON lines, in a file readable by its owner only",
            List.of(CognitoSpecs.POOL_ID, OUTPUT, FORMAT, CognitoSpecs.PAGE_SIZE, CognitoSpecs.REQUESTS_PER_SECOND,
                    CognitoSpecs.CHUNK_SIZE),
            "java -jar target/cruddur-batch.jar cognito-user-export output=users.csv");

    public static CognitoUserExportParameters of(JobParameters params) {
        return new CognitoUserExportParameters(CognitoSpecs.POOL_ID.valueIn(params), OUTPUT.valueIn(params),
                FORMAT.valueIn(params), CognitoSpecs.CHUNK_SIZE.intIn(params));
    }

    /** format=csv: a header line and one CSV line per user; else JSON lines. */
    boolean csv() {
        return !"jsonl".equals(format);
    }
}
