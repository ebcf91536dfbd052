package com.cruddur.batch.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.core.env.PropertyResolver;

/**
 * What the launcher knows about a job without starting Spring: its name (also the name of its
 * {@code Job} bean), a one-line summary, its parameters and an example, for {@code --help} and for
 * checking a command line before anything runs.
 */
public record JobDescriptor(String name, String summary, List<ParameterSpec> parameters, String example) {

    /**
     * The job parameters of a run: the given values, then literal defaults, then defaults read from
     * configuration; each identifying or not as its spec says. @param given checked by {@link #parse}
     */
    public JobParameters jobParameters(Map<String, String> given, PropertyResolver properties) {
        JobParametersBuilder builder = new JobParametersBuilder();
        for (ParameterSpec spec : parameters) {
            String value = given.get(spec.name());
            if (value == null) {
                value = spec.defaultValue() != null ? spec.defaultValue()
                        : spec.defaultProperty() != null ? properties.getProperty(spec.defaultProperty()) : null;
            }
            if (value != null) {
                builder.addString(spec.name(), value, spec.identifying());
            }
        }
        return builder.toJobParameters();
    }

    public ParameterSpec parameter(String key) {
        return parameters.stream().filter(p -> p.name().equals(key)).findFirst().orElse(null);
    }

    /**
     * Checks {@code key=value} arguments against the parameter list.
     *
     * @return the given values by name, in command-line order
     * @throws UsageException naming the first unknown, malformed, repeated or missing parameter, or two that
     *         disagree
     */
    public Map<String, String> parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(name + ": expected key=value, got '" + arg + "'");
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            ParameterSpec spec = parameter(key);
            if (spec == null) {
                throw new UsageException(name + ": unknown parameter '" + key + "'; known: "
                        + String.join(", ", parameters.stream().map(ParameterSpec::name).toList()));
            }
            if (values.containsKey(key)) {
                throw new UsageException(name + ": parameter '" + key + "' given twice");
            }
            String problem = value.isEmpty() ? "expected a value" : spec.problemWith(value);
            if (problem != null) {
                throw new UsageException(name + ": bad value for " + key + "='" + value + "': " + problem);
            }
            values.put(key, value);
        }
        for (ParameterSpec spec : parameters) {
            if (spec.required() && !values.containsKey(spec.name())) {
                throw new UsageException(name + ": missing required parameter " + spec.name() + "=... ("
                        + spec.description() + ")");
            }
        }
        // Rules between parameters (to after from, file= with source=file), on given values and literal defaults.
        Map<String, String> effective = new LinkedHashMap<>(values);
        parameters.stream().filter(p -> p.defaultValue() != null).forEach(p -> effective.putIfAbsent(p.name(), p.defaultValue()));
        for (ParameterSpec spec : parameters) {
            String problem = spec.problemWithin(effective);
            if (problem != null) {
                throw new UsageException(name + ": " + problem);
            }
        }
        return values;
    }
}
