package com.cruddur.batch.cognito;

import com.cruddur.batch.job.ParameterSpec;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The parameters that both Cognito jobs take: the pool and how its users are listed. */
final class CognitoSpecs {

    static final ParameterSpec POOL_ID = ParameterSpec.fromProperty("pool-id", "cruddur.cognito.user-pool-id",
            "user pool id");
    static final ParameterSpec PAGE_SIZE = ParameterSpec.optional("page-size", "60", "users per ListUsers request, 1-60")
            .withCheck(v -> v.matches("\\d{1,2}") && Integer.parseInt(v) >= 1
                    && Integer.parseInt(v) <= CognitoUserReaderBuilder.MAX_PAGE_SIZE ? null : "expected 1 to 60")
            .nonIdentifying();
    static final ParameterSpec REQUESTS_PER_SECOND = ParameterSpec.optional("requests-per-second", "5",
            "at most this many ListUsers requests per second (the 30/s quota is shared by all pools)")
            .positiveInt().nonIdentifying();
    /** Users per commit of the export; the sync has its own default ({@link CognitoUserSyncParameters#CHUNK_SIZE}). */
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "1000", "users per transaction")
            .positiveInt().nonIdentifying();

    private CognitoSpecs() {
    }

    /** The ListUsers reader of either job, from these parameters of the run. */
    static CognitoUserReaderBuilder reader(JobParameters params) {
        return CognitoUserReader.builder().userPoolId(POOL_ID.valueIn(params)).pageSize(PAGE_SIZE.intIn(params))
                .requestsPerSecond(REQUESTS_PER_SECOND.intIn(params));
    }
}
