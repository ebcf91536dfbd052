package com.cruddur.batch.seed;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.parameters.JobParameters;

/** The parameters of {@code user-seed}: names, defaults, checks and help in {@link #DESCRIPTOR}. */
public record UserSeedParameters(String users, long skipLimit, String rejectsDir) {

    public static final String JOB = "user-seed";

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "upsert users from a CSV into the users table by handle (creates the table if missing)",
            List.of(SeedSpecs.USERS_FILE, SeedSpecs.SKIP, SeedSpecs.REJECTS, ProdSafety.PARAMETER),
            "java -jar target/cruddur-batch.jar user-seed users=seed-csv/users.csv");

    public static UserSeedParameters of(JobParameters params) {
        return new UserSeedParameters(SeedSpecs.USERS_FILE.valueIn(params),
                Long.parseLong(SeedSpecs.SKIP.valueIn(params)), SeedSpecs.REJECTS.valueIn(params));
    }
}
