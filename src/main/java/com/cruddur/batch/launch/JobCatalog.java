package com.cruddur.batch.launch;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.cruddur.batch.cognito.CognitoJobs;
import com.cruddur.batch.export.ExportJobs;
import com.cruddur.batch.replay.ReplayJobs;
import com.cruddur.batch.schema.SchemaJobs;
import com.cruddur.batch.seed.SeedJobs;

/** Every job the launcher offers. A job family adds its descriptors here. */
public final class JobCatalog {

    public static final List<JobDescriptor> JOBS = Stream.of(
            SchemaJobs.DESCRIPTORS,
            SeedJobs.DESCRIPTORS,
            ExportJobs.DESCRIPTORS,
            CognitoJobs.DESCRIPTORS,
            ReplayJobs.DESCRIPTORS)
            .flatMap(List::stream)
            .collect(plusExtensions());

    private JobCatalog() {
    }

    /**
     * Jobs from other jars (and test-only jobs): a {@code META-INF/services} entry for this interface
     * adds descriptors; the job beans come from the jar's own {@code @Configuration}.
     */
    public interface Extension {
        List<JobDescriptor> descriptors();
    }

    private static Collector<JobDescriptor, ?, List<JobDescriptor>> plusExtensions() {
        return Collectors.collectingAndThen(Collectors.toList(), jobs -> {
            ServiceLoader.load(Extension.class).forEach(extension -> jobs.addAll(extension.descriptors()));
            return List.copyOf(jobs);
        });
    }

    public static Optional<JobDescriptor> find(String name) {
        return JOBS.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
