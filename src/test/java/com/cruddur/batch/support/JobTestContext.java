package com.cruddur.batch.support;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.JobDescriptor;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertyResolver;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the in-process job tests ({@code @SpringBatchTest}) add to a family's job configurations and the
 * launcher's shared infrastructure: a console whose lines the test reads, and the properties the command
 * line would give (jobs-config, the emulators, a job repository of the context's own). A plain class
 * listed in the test's classes, not a scanned {@code @Configuration}.
 *
 * <p>A launch through the command line builds only the launched job's configurations; these tests build a
 * whole family's in one context instead, which Spring's test context cache then shares between its tests.
 */
public class JobTestContext {

    /** For {@code @SpringBootTest(properties = ...)}: read before the configuration files are. */
    public static final String CONFIG = "spring.config.additional-location=optional:file:jobs-config/";

    private static final AtomicLong RUNS = new AtomicLong(System.currentTimeMillis());

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Autowired
    private ObjectProvider<JobOperatorTestUtils> jobs;
    @Autowired
    private Environment environment;

    @Bean
    Console console() {
        PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new Console(printed, printed);
    }

    /** The console lines printed since the last call. */
    public synchronized List<String> takeLines() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        out.reset();
        return lines;
    }

    /** dynalite, cognito-local and an in-memory job repository named after the family. */
    public static void propertiesWithCognito(DynamicPropertyRegistry registry, String family) {
        properties(registry, family);
        registry.add("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", () -> Emulators.cognitoLocal().toString());
    }

    /** dynalite and an in-memory job repository named after the family. */
    public static void properties(DynamicPropertyRegistry registry, String family) {
        registry.add("cruddur.config-dir", () -> "jobs-config");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:" + family
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        registry.add("AWS_ENDPOINT_URL_DYNAMODB", () -> Emulators.dynalite().toString());
        registry.add("AWS_ENDPOINT_URL", () -> "http://127.0.0.1:1");
    }

    /**
     * Runs the job to its end through {@link JobOperatorTestUtils} with the job parameters the launcher would
     * build from these command-line values. (Not in the test classes: spring-batch-test's job-scope listener
     * takes any method there that returns a JobExecution for its factory of job executions.)
     */
    public JobExecution launch(Job job, JobDescriptor descriptor, Map<String, String> given) throws Exception {
        JobOperatorTestUtils operator = jobs.getObject();
        operator.setJob(job);
        // A run.id of its own, as the launcher adds when a job is run again: tests may repeat a job's parameters.
        return operator.startJob(new JobParametersBuilder(parameters(descriptor, environment, given))
                .addLong("run.id", RUNS.incrementAndGet()).toJobParameters());
    }

    /** The job parameters the launcher would build from these command-line values (defaults added). */
    public static JobParameters parameters(JobDescriptor job, PropertyResolver environment, Map<String, String> given) {
        return job.jobParameters(job.parse(given.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()), environment);
    }
}
