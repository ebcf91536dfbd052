package com.cruddur.batch.job;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * One {@code key=value} parameter of a job: its default, whether it identifies the job instance
 * (identifying parameters decide what "the same run" means for restarts), and a format check
 * applied before any Spring context starts.
 *
 * @param defaultValue   literal default, or null
 * @param defaultProperty configuration property whose value is the default (e.g. the table name), or null
 */
public record ParameterSpec(String name, String description, String defaultValue, String defaultProperty,
        boolean required, boolean identifying, Function<String, String> check,
        Function<Map<String, String>, String> rule) {

    /** DynamoDB's rule for table and index names. */
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    public static ParameterSpec required(String name, String description) {
        return new ParameterSpec(name, description, null, null, true, true, v -> null, values -> null);
    }

    public static ParameterSpec optional(String name, String defaultValue, String description) {
        return new ParameterSpec(name, description, defaultValue, null, false, true, v -> null, values -> null);
    }

    /** A parameter whose default is read from configuration once the context is up. */
    public static ParameterSpec fromProperty(String name, String property, String description) {
        return new ParameterSpec(name, description, null, property, false, true, v -> null, values -> null);
    }

    /** Tuning knobs (chunk size, concurrency, confirmations) may change between a run and its restart. */
    public ParameterSpec nonIdentifying() {
        return new ParameterSpec(name, description, defaultValue, defaultProperty, required, false, check, rule);
    }

    /** 1 to 2^31-1: the jobs hold these in an int, so a larger number is refused here rather than failing the run. */
    public ParameterSpec positiveInt() {
        return positiveInt(Integer.MAX_VALUE);
    }

    public ParameterSpec positiveInt(int max) {
        String expected = "expected a whole number from 1 to " + max;
        return withCheck(v -> {
            if (!v.matches("\\d{1,10}")) {
                return expected;
            }
            long n = Long.parseLong(v);
            return n >= 1 && n <= max ? null : expected;
        });
    }

    /** A DynamoDB table name: 3-255 characters of a-z A-Z 0-9 _ . - */
    public ParameterSpec tableName() {
        return withCheck(v -> TABLE_NAME.matcher(v).matches() ? null
                : "expected a DynamoDB table name: 3-255 characters of a-z A-Z 0-9 _ . -");
    }

    public ParameterSpec bool() {
        return oneOf("true", "false");
    }

    public ParameterSpec oneOf(String... allowed) {
        return withCheck(v -> Arrays.asList(allowed).contains(v.toLowerCase(Locale.ROOT)) ? null
                : "expected one of " + String.join(", ", allowed));
    }

    public ParameterSpec uuid() {
        return withCheck(v -> {
            try {
                UUID.fromString(v);
                return null;
            }
            catch (IllegalArgumentException e) {
                return "expected a UUID";
            }
        });
    }

    public ParameterSpec instant() {
        return withCheck(v -> {
            try {
                Instant.parse(v);
                return null;
            }
            catch (DateTimeParseException e) {
                return "expected an ISO-8601 instant such as 2026-03-23T22:42:12Z";
            }
        });
    }

    public ParameterSpec withCheck(Function<String, String> newCheck) {
        return new ParameterSpec(name, description, defaultValue, defaultProperty, required, identifying, newCheck,
                rule);
    }

    /** Required when {@code other} has {@code value}, e.g. {@code file=} with {@code source=file}. */
    public ParameterSpec requiredWhen(String other, String value) {
        return withRule(values -> value.equalsIgnoreCase(values.get(other)) && values.get(name) == null
                ? other + "=" + value + " needs " + name + "=..." : null);
    }

    /** An instant that must not be before {@code earlier}'s, e.g. {@code to=} after {@code from=}. */
    public ParameterSpec notBefore(String earlier) {
        return withRule(values -> {
            String mine = values.get(name);
            String theirs = values.get(earlier);
            return mine != null && theirs != null && Instant.parse(theirs).isAfter(Instant.parse(mine))
                    ? earlier + "=" + theirs + " is after " + name + "=" + mine : null;
        });
    }

    private ParameterSpec withRule(Function<Map<String, String>, String> newRule) {
        return new ParameterSpec(name, description, defaultValue, defaultProperty, required, identifying, check,
                newRule);
    }

    /** Null when the value is acceptable, else what was expected. */
    public String problemWith(String value) {
        return check.apply(value);
    }

    /**
     * Null when this parameter agrees with the others, else what is wrong. Runs after every value passed
     * {@link #problemWith}. @param values given values and literal defaults, by name
     */
    public String problemWithin(Map<String, String> values) {
        return rule.apply(values);
    }

    /**
     * This parameter's value in a run: as given (the launcher also puts in defaults read from configuration),
     * else the literal default; null when neither. The parameters records read their fields through these.
     */
    public String valueIn(JobParameters params) {
        JobParameter<?> given = params.getParameter(name);
        return given != null ? String.valueOf(given.value()) : defaultValue;
    }

    public int intIn(JobParameters params) {
        return Integer.parseInt(requiredIn(params));
    }

    /** Null when the parameter has neither a value nor a default (e.g. page-size: the service's own). */
    public Integer optionalIntIn(JobParameters params) {
        String value = valueIn(params);
        return value == null ? null : Integer.valueOf(value);
    }

    public boolean booleanIn(JobParameters params) {
        return Boolean.parseBoolean(valueIn(params));
    }

    /** A number of seconds, such as wait-seconds=120. */
    public Duration secondsIn(JobParameters params) {
        return Duration.ofSeconds(Long.parseLong(requiredIn(params)));
    }

    public Instant instantIn(JobParameters params) {
        String value = valueIn(params);
        return value == null ? null : Instant.parse(value);
    }

    private String requiredIn(JobParameters params) {
        String value = valueIn(params);
        if (value == null) {
            throw new IllegalStateException("job parameter " + name + " has no value and no default");
        }
        return value;
    }

    public String defaultText() {
        if (defaultValue != null) {
            return defaultValue;
        }
        return defaultProperty != null ? "${" + defaultProperty + "}" : null;
    }
}
