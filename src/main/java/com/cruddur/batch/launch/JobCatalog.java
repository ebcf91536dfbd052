package com.cruddur.batch.launch;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
            ReplayJobs.DESCRIPTORS)
            .flatMap(List::stream)
            .toList();

    private JobCatalog() {
    }

    public static Optional<JobDescriptor> find(String name) {
        return JOBS.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
