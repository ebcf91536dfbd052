package com.cruddur.batch.job;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

import com.cruddur.batch.aws.AwsEndpoints;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * The confirmation that destructive or bulk-writing jobs need before touching anything that is not a
 * local emulator or database: {@code allow-prod=true}. A job opts in with two lines: add
 * {@link #PARAMETER} to its descriptor, and give its {@code JobBuilder} a validator from here
 * ({@link #dynamoDbWrites}, {@link #cognitoWrites}, {@link #databaseWrites}, or {@link #guard}). As a
 * {@link JobParametersValidator} it runs before any execution is created, so a refused run leaves no
 * trace in the job repository, exits 2 and prints one line.
 */
public final class ProdSafety {

    public static final String ALLOW_PROD = "allow-prod";

    /** The descriptor's parameter: not identifying, so a refused run can be repeated with it added. */
    public static final ParameterSpec PARAMETER = ParameterSpec.optional(ALLOW_PROD, "false",
            "must be true to write to a non-local endpoint or with the prod profile").bool().nonIdentifying();

    private ProdSafety() {
    }

    /** For jobs that write to or delete from DynamoDB. {@code action} says what, e.g. "delete table x". */
    public static JobParametersValidator dynamoDbWrites(String job, Function<JobParameters, String> action,
            AwsEndpoints endpoints, Environment environment) {
        return guard(job, action, endpoints.dynamodbIsLocal(), endpoints.describeDynamodb(), environment);
    }

    /** For jobs that create or change Cognito users. */
    public static JobParametersValidator cognitoWrites(String job, Function<JobParameters, String> action,
            AwsEndpoints endpoints, Environment environment) {
        return guard(job, action, endpoints.cognitoIsLocal(),
                endpoints.cognito() == null ? "AWS Cognito in " + endpoints.region() : endpoints.cognito().toString(),
                environment);
    }

    /** For jobs that bulk-write the app's PostgreSQL ({@code users}): local means H2 or a loopback host. */
    public static JobParametersValidator databaseWrites(String job, Function<JobParameters, String> action,
            String jdbcUrl, Environment environment) {
        return guard(job, action, databaseIsLocal(jdbcUrl), jdbcUrl.replaceAll("[?;].*", ""), environment);
    }

    /** {@link #databaseWrites(String, Function, String, Environment)} for the app's own datasource. */
    public static JobParametersValidator databaseWrites(String job, Function<JobParameters, String> action,
            Environment environment) {
        return databaseWrites(job, action, environment.getProperty("spring.datasource.url", ""), environment);
    }

    /**
     * Refuses unless {@code allow-prod=true} when the target is not local or the prod profile is active.
     *
     * @param targetIsLocal whether the job writes to an emulator or database on this machine
     * @param target        where it writes, for the message (never credentials)
     */
    public static JobParametersValidator guard(String job, Function<JobParameters, String> action,
            boolean targetIsLocal, String target, Environment environment) {
        boolean prodProfile = environment.acceptsProfiles(Profiles.of("prod"));
        return (JobParameters params) -> {
            if ((prodProfile || !targetIsLocal) && !"true".equalsIgnoreCase(params.getString(ALLOW_PROD))) {
                String why = prodProfile ? "with the prod profile active" : "at " + target + ", which is not local";
                throw new InvalidJobParametersException(job + ": refusing to " + action.apply(params) + " " + why
                        + "; add " + ALLOW_PROD + "=true if you really mean it");
            }
        };
    }

    /** Both validators, in order. */
    public static JobParametersValidator both(JobParametersValidator first, JobParametersValidator second) {
        return params -> {
            first.validate(params);
            second.validate(params);
        };
    }

    public static boolean databaseIsLocal(String jdbcUrl) {
        if (jdbcUrl == null) {
            return false;
        }
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")) {
            return true;
        }
        try {
            URI uri = URI.create(url.substring("jdbc:".length()));
            return AwsEndpoints.isLoopbackHost(uri.getHost());
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }
}
