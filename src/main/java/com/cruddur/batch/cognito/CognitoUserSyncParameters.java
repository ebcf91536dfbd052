package com.cruddur.batch.cognito;

import java.nio.file.Path;
import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code cognito-user-sync}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param mode update or upsert
 */
public record CognitoUserSyncParameters(String poolId, String mode, Path report, int chunkSize) {

    public static final String JOB = "cognito-user-sync";

    static final ParameterSpec MODE = ParameterSpec.optional("mode", "update", "update: only existing rows; "
            + "upsert: also insert Cognito users missing from the table").oneOf("update", "upsert");
    static final ParameterSpec REPORT = ParameterSpec.optional("report", "cognito-user-sync-report.txt",
            "report file (counts and the users and rows that need a look)").nonIdentifying();
    /**
     * 5000: a chunk costs a handful of statements, a commit and the job repository's update whatever its size,
     * and on the app's own users table (no index on handle) its look-up reads the whole table, so fewer, larger
     * chunks cost less (performance.md); the export keeps the Cognito jobs' common default.
     */
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "5000", "users per transaction")
            .positiveInt().nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "set users.cognito_user_id to each Cognito user's sub, matched by preferred_username = handle",
            List.of(CognitoSpecs.POOL_ID, MODE, REPORT, CognitoSpecs.PAGE_SIZE, CognitoSpecs.REQUESTS_PER_SECOND,
                    CHUNK_SIZE, ProdSafety.PARAMETER),
            "java -jar target/cruddur-batch.jar cognito-user-sync mode=update");

    public static CognitoUserSyncParameters of(JobParameters params) {
        return new CognitoUserSyncParameters(CognitoSpecs.POOL_ID.valueIn(params), MODE.valueIn(params),
                Path.of(REPORT.valueIn(params)), CHUNK_SIZE.intIn(params));
    }

    /** mode=upsert: Cognito users missing from the table are inserted too. */
    boolean upsert() {
        return "upsert".equalsIgnoreCase(mode);
    }
}
