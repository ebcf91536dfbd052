package com.cruddur.batch.launch.testjob;

import java.util.List;

import com.cruddur.batch.launch.JobCatalog;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;

/** Test-only jobs, added to the catalog through {@link JobCatalog.Extension} (META-INF/services in src/test). */
public class TestJobs implements JobCatalog.Extension {

    public static final String SLOW_COUNT = "test-slow-count";
    /** The same with a @JobScope step, as most real jobs have. */
    public static final String SLOW_COUNT_SCOPED = "test-slow-count-scoped";

    @Override
    public List<JobDescriptor> descriptors() {
        List<ParameterSpec> parameters = List.of(ParameterSpec.optional("items", "20", "how many numbers").positiveInt(),
                        ParameterSpec.optional("label", "a", "tells instances apart"),
                        ParameterSpec.optional("millis", "200", "sleep per item").positiveInt().nonIdentifying(),
                        ParameterSpec.optional("fail-while", null, "fail at item 3 while this file exists")
                                .nonIdentifying(),
                        ParameterSpec.optional("hold-while", null, "wait before each read while this file exists")
                                .nonIdentifying());
        return List.of(new JobDescriptor(SLOW_COUNT,
                "(tests only) reads the numbers 1..items, one per chunk, sleeping between them", parameters,
                "java -jar target/cruddur-batch.jar test-slow-count items=20"),
                new JobDescriptor(SLOW_COUNT_SCOPED, "(tests only) test-slow-count with a @JobScope step", parameters,
                        "java -jar target/cruddur-batch.jar test-slow-count-scoped items=20"));
    }

    @Override
    public List<Class<?>> configurations(String job) {
        return job.equals(SLOW_COUNT) || job.equals(SLOW_COUNT_SCOPED) ? List.of(SlowCountJobConfiguration.class) : List.of();
    }
}
