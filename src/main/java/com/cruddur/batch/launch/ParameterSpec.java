package com.cruddur.batch.launch;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/**
 * One {@code key=value} parameter of a job: its default, whether it identifies the job instance
 * (identifying parameters decide what "the same run" means for restarts), and a format check
 * applied before any Spring context starts.
 *
 * @param defaultValue   literal default, or null
 * @param defaultProperty configuration property whose value is the default (e.g. the table name), or null
 */
public record ParameterSpec(String name, String description, String defaultValue, String defaultProperty,
        boolean required, boolean identifying, Function<String, String> check) {

    public static ParameterSpec required(String name, String description) {
        return new ParameterSpec(name, description, null, null, true, true, v -> null);
    }

    public static ParameterSpec optional(String name, String defaultValue, String description) {
        return new ParameterSpec(name, description, defaultValue, null, false, true, v -> null);
    }

    /** A parameter whose default is read from configuration once the context is up. */
    public static ParameterSpec fromProperty(String name, String property, String description) {
        return new ParameterSpec(name, description, null, property, false, true, v -> null);
    }

    /** Tuning knobs (chunk size, concurrency, confirmations) may change between a run and its restart. */
    public ParameterSpec nonIdentifying() {
        return new ParameterSpec(name, description, defaultValue, defaultProperty, required, false, check);
    }

    public ParameterSpec positiveInt() {
        return withCheck(v -> {
            try {
                return Long.parseLong(v) > 0 ? null : "expected a whole number above 0";
            }
            catch (NumberFormatException e) {
                return "expected a whole number above 0";
            }
        });
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
        return new ParameterSpec(name, description, defaultValue, defaultProperty, required, identifying, newCheck);
    }

    /** Null when the value is acceptable, else what was expected. */
    public String problemWith(String value) {
        return check.apply(value);
    }

    public String defaultText() {
        if (defaultValue != null) {
            return defaultValue;
        }
        return defaultProperty != null ? "${" + defaultProperty + "}" : null;
    }
}
