package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.replay.MessageGroupReplayParameters;
import com.cruddur.batch.schema.ListTablesParameters;
import com.cruddur.batch.schema.SchemaLoadParameters;
import com.cruddur.batch.seed.CiDataSetupParameters;
import com.cruddur.batch.seed.ConversationSeedParameters;
import com.cruddur.batch.seed.UserSeedParameters;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.Job;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextRefreshedEvent;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A job launch builds the launched job's beans and the shared infrastructure only: the other jobs'
 * configurations and the clients they alone use are neither read nor created (they were most of the
 * start-up), and every job still gets all it needs.
 */
class JobSelectionTest {

    /**
     * What the context of the last launch held once refreshed; recorded by {@link Capture} (registered in
     * src/test's META-INF/spring.factories) in launches given {@code --cruddur-test.capture=true}.
     */
    static volatile Set<String> jobs;
    static volatile Set<String> singletons;
    static volatile Set<String> definitions;

    public static class Capture implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            if (!context.getEnvironment().getProperty("cruddur-test.capture", Boolean.class, false)) {
                return;
            }
            context.addApplicationListener(event -> {
                if (event instanceof ContextRefreshedEvent) {
                    jobs = Set.of(context.getBeanNamesForType(Job.class));
                    singletons = Set.of(context.getBeanFactory().getSingletonNames());
                    definitions = Set.of(context.getBeanDefinitionNames());
                }
            });
        }
    }

    @Test
    void listTablesBuildsOnlyItsOwnJobAndNoCognitoOrStreamsClient() {
        Cli.Result result = new Cli().property("cruddur-test.capture", "true")
                .run("list-tables", "prefix=no-such-table-");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.lines()).contains("0 tables");
        assertThat(jobs).containsExactly(ListTablesParameters.JOB);
        assertThat(singletons).contains("dynamoDbClient").doesNotContain("cognitoClient", "dynamoDbStreamsClient");
        assertThat(definitions).doesNotContain("cognitoClient", "dynamoDbStreamsClient");
    }

    @Test
    void everyJobStartsWithItsOwnConfigurationOnly() {
        for (JobDescriptor descriptor : JobCatalog.JOBS) {
            Class<?>[] sources = Launcher.sources(descriptor);
            assertThat(sources).as(descriptor.name()).startsWith(JobLaunchConfiguration.class);
            try (ConfigurableApplicationContext context = start(sources)) {
                Set<String> built = Set.of(context.getBeanNamesForType(Job.class));
                Set<String> expected = descriptor.name().equals(CiDataSetupParameters.JOB)
                        // ci-data-setup is made of the steps of these three jobs.
                        ? Set.of(CiDataSetupParameters.JOB, SchemaLoadParameters.JOB, UserSeedParameters.JOB,
                                ConversationSeedParameters.JOB)
                        // The two test jobs share one configuration class.
                        : descriptor.name().startsWith(TestJobs.SLOW_COUNT)
                                ? Set.of(TestJobs.SLOW_COUNT, TestJobs.SLOW_COUNT_SCOPED)
                                : Set.of(descriptor.name());
                assertThat(built).as(descriptor.name()).isEqualTo(expected);
                // Step-scoped readers resolve their client only when the step runs: check it is there.
                boolean cognito = descriptor.name().startsWith("cognito-");
                assertThat(context.getBeanNamesForType(CognitoIdentityProviderClient.class, true, false))
                        .as(descriptor.name()).hasSize(cognito ? 1 : 0);
                assertThat(context.getBeanNamesForType(DynamoDbStreamsClient.class, true, false))
                        .as(descriptor.name())
                        .hasSize(descriptor.name().equals(MessageGroupReplayParameters.JOB) ? 1 : 0);
            }
        }
    }

    @Test
    void commandsThatMayTouchAnyJobStillSeeThemAll() {
        try (ConfigurableApplicationContext context = start(new Class<?>[] { CruddurBatchApplication.class })) {
            assertThat(context.getBeanNamesForType(Job.class)).contains(
                    JobCatalog.JOBS.stream().map(JobDescriptor::name).toArray(String[]::new));
        }
    }

    /** A new shared component must be listed in JobLaunchConfiguration, or job launches would lack it. */
    @Test
    void everySharedComponentIsInTheLaunchConfiguration() {
        Set<Class<?>> jobConfigurations = new HashSet<>();
        JobCatalog.CONFIGURATIONS.values().forEach(jobConfigurations::addAll);
        jobConfigurations.addAll(new TestJobs().configurations(TestJobs.SLOW_COUNT));
        Set<Class<?>> shared = new HashSet<>(Arrays.asList(JobLaunchConfiguration.class.getAnnotation(Import.class).value()));
        List<String> missing = new ArrayList<>();
        ClassPathScanningCandidateComponentProvider scan = new ClassPathScanningCandidateComponentProvider(true);
        for (BeanDefinition component : scan.findCandidateComponents("com.cruddur.batch")) {
            String name = component.getBeanClassName();
            if (jobConfigurations.stream().noneMatch(c -> c.getName().equals(name))
                    && shared.stream().noneMatch(c -> c.getName().equals(name))
                    // The scheduler runs only under 'schedule', with every job.
                    && !name.equals(Scheduler.class.getName())
                    && !name.equals(CruddurBatchApplication.class.getName())) {
                missing.add(name);
            }
        }
        assertThat(missing).isEmpty();
    }

    private static ConfigurableApplicationContext start(Class<?>[] sources) {
        Path config = Path.of("jobs-config").toAbsolutePath();
        return new SpringApplicationBuilder(sources)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("console",
                        new Console(System.out, System.err)))
                .run("--spring.config.additional-location=optional:file:" + config + "/",
                        "--cruddur.config-dir=" + config, "--spring.datasource.url=jdbc:h2:mem:selection",
                        "--cruddur.dynamodb.endpoint=http://127.0.0.1:1", "--cruddur.cognito.endpoint=http://127.0.0.1:1");
    }
}
