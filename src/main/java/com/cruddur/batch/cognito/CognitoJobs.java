package com.cruddur.batch.cognito;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;

/** Command-line descriptions of the Cognito jobs. */
public final class CognitoJobs {

    public static final String USER_EXPORT = "cognito-user-export";
    public static final String USER_SYNC = "cognito-user-sync";

    static final ParameterSpec POOL_ID = ParameterSpec.fromProperty("pool-id", "cruddur.cognito.user-pool-id",
            "user pool id");
    static final ParameterSpec PAGE_SIZE = ParameterSpec.optional("page-size", "60", "users per ListUsers request, 1-60")
            .withCheck(v -> v.matches("\\d{1,2}") && Integer.parseInt(v) >= 1
                    && Integer.parseInt(v) <= CognitoUserReaderBuilder.MAX_PAGE_SIZE ? null : "expected 1 to 60")
            .nonIdentifying();
    static final ParameterSpec REQUESTS_PER_SECOND = ParameterSpec.optional("requests-per-second", "5",
            "at most this many ListUsers requests per second (the 30/s quota is shared by all pools)")
            .positiveInt().nonIdentifying();
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "1000", "users per transaction")
            .positiveInt().nonIdentifying();

    public static final List<JobDescriptor> DESCRIPTORS = List.of(
            new JobDescriptor(USER_EXPORT,
                    "every user of a pool (all pages) to CSV or JSON lines, in a file readable by its owner only",
                    List.of(POOL_ID,
                            ParameterSpec.required("output", "file to write (replaced if it exists)"),
                            ParameterSpec.optional("format", "csv", "csv or jsonl").oneOf("csv", "jsonl"),
                            PAGE_SIZE, REQUESTS_PER_SECOND, CHUNK_SIZE),
                    "java -jar target/cruddur-batch.jar cognito-user-export output=users.csv"),
            new JobDescriptor(USER_SYNC,
                    "set users.cognito_user_id to each Cognito user's sub, matched by preferred_username = handle",
                    List.of(POOL_ID,
                            ParameterSpec.optional("mode", "update", "update: only existing rows; "
                                    + "upsert: also insert Cognito users missing from the table").oneOf("update", "upsert"),
                            ParameterSpec.optional("report", "cognito-user-sync-report.txt",
                                    "report file (counts and the users and rows that need a look)").nonIdentifying(),
                            PAGE_SIZE, REQUESTS_PER_SECOND, CHUNK_SIZE, ProdSafety.PARAMETER),
                    "java -jar target/cruddur-batch.jar cognito-user-sync mode=update"));

    private CognitoJobs() {
    }
}
