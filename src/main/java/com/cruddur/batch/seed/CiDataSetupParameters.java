package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.schema.SchemaLoadParameters;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code ci-data-setup}: those of schema-load, then of the two seeds ({@link #DESCRIPTOR}).
 * Its steps are those jobs' steps, which read their own records from the same job parameters.
 */
public record CiDataSetupParameters(SchemaLoadParameters schema, UserSeedParameters users,
        ConversationSeedParameters conversations) {

    public static final String JOB = "ci-data-setup";

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "schema-load, then user-seed, then conversation-seed, as one restartable job", parameters(),
            "java -jar target/cruddur-batch.jar ci-data-setup");

    public static CiDataSetupParameters of(JobParameters params) {
        return new CiDataSetupParameters(SchemaLoadParameters.of(params), UserSeedParameters.of(params),
                ConversationSeedParameters.of(params));
    }

    private static List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(SchemaLoadParameters.DESCRIPTOR.parameters());
        all.addAll(List.of(SeedSpecs.USERS_FILE, SeedSpecs.CONVERSATIONS_FILE, SeedSpecs.BASE, SeedSpecs.SKIP,
                SeedSpecs.REJECTS, SeedSpecs.PARALLEL, SeedSpecs.CHUNK, ProdSafety.PARAMETER));
        return List.copyOf(all);
    }
}
