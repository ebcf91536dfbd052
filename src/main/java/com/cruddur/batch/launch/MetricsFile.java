package com.cruddur.batch.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Batch's Micrometer metrics (spring.batch.job, spring.batch.step, spring.batch.item.read/process,
 * spring.batch.chunk.write ...) in Micrometer's Prometheus registry, with whatever is registered on
 * Micrometer's global registry (the DynamoDB writer's cruddur.dynamodb.batchwrite.retries and .unprocessed
 * counters), sent out after every job:
 * <ul>
 * <li>{@code --cruddur.metrics.file=PATH} (or {@code CRUDDUR_METRICS_FILE}): the registry's own scrape
 * output, written atomically to PATH after every job and when the process ends (for node_exporter's
 * textfile collector);</li>
 * <li>{@code --management.prometheus.metrics.export.pushgateway.enabled=true} with {@code .address}
 * (host:port, default localhost:9091), {@code .job} (default cruddur-batch), {@code .grouping-key.*},
 * {@code .scheme}, {@code .username}/{@code .password} or {@code .token}: Spring Boot's Pushgateway
 * property names. The registry is pushed (PUT, replacing the group) after every job, so a one-off run's
 * figures arrive before the process exits and a scheduler's after each of its runs; a push that fails is
 * logged and does not change the run's exit code.</li>
 * </ul>
 * Spring Boot's own Pushgateway support (spring-boot-micrometer-metrics) is not used: its auto-configuration
 * brings ~30 auto-configurations and JVM/system meter binders to every launch and pushes on a timer and at
 * shutdown only. With neither property set, none of this is loaded.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(MetricsFile.Wanted.class)
public class MetricsFile {

    static final String FILE = "cruddur.metrics.file";
    static final String PUSHGATEWAY = "management.prometheus.metrics.export.pushgateway";

    private static final Logger log = LoggerFactory.getLogger(MetricsFile.class);

    /** A metrics file or a Pushgateway is configured. */
    static final class Wanted extends AnyNestedCondition {

        Wanted() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty(FILE)
        static final class File {
        }

        @ConditionalOnProperty(prefix = PUSHGATEWAY, name = "enabled", havingValue = "true")
        static final class Pushgateway {
        }
    }

    @Bean
    PrometheusMeterRegistry batchMeterRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Meters registered on the global registry (by components given no registry of their own) land here too.
        Metrics.addRegistry(registry);
        return registry;
    }

    /** Spring Batch's observability post-processor (in its default configuration) attaches this to each job and step. */
    @Bean
    ObservationRegistry batchObservationRegistry(PrometheusMeterRegistry meters) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return registry;
    }

    @Bean
    static Exporter metricsExporter(Environment environment, ObjectProvider<PrometheusMeterRegistry> meters) {
        String file = environment.getProperty(FILE);
        Binder binder = Binder.get(environment);
        boolean push = binder.bind(PUSHGATEWAY + ".enabled", Boolean.class).orElse(false);
        return new Exporter(file == null || file.isBlank() ? null : Path.of(file),
                push ? binder.bind(PUSHGATEWAY, Bindable.of(PushgatewayProperties.class))
                        .orElseGet(PushgatewayProperties::new) : null,
                meters);
    }

    /** The subset of Spring Boot's {@code management.prometheus.metrics.export.pushgateway.*} that is read. */
    public static class PushgatewayProperties {

        private String address = "localhost:9091";
        private String job = "cruddur-batch";
        private Map<String, String> groupingKey = Map.of();
        private String scheme = "http";
        private String username;
        private String password;
        private String token;

        public void setAddress(String address) {
            this.address = address;
        }

        public void setJob(String job) {
            this.job = job;
        }

        public void setGroupingKey(Map<String, String> groupingKey) {
            this.groupingKey = groupingKey;
        }

        public void setScheme(String scheme) {
            this.scheme = scheme;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public void setToken(String token) {
            this.token = token;
        }

        /** Ignored here (Spring Boot's push timer); accepted so that Boot-style configuration binds. */
        public void setEnabled(boolean enabled) {
        }
    }

    /** Writes the file and pushes after each job (attached to every job bean); writes the file at shutdown. */
    static final class Exporter implements EveryJobListener, DisposableBean {

        private final Path file;
        private final PushgatewayProperties pushgateway;
        private final ObjectProvider<PrometheusMeterRegistry> meters;

        Exporter(Path file, PushgatewayProperties pushgateway, ObjectProvider<PrometheusMeterRegistry> meters) {
            this.file = file;
            this.pushgateway = pushgateway;
            this.meters = meters;
        }

        @Override
        public void afterJob(JobExecution jobExecution) {
            write();
            push();
        }

        @Override
        public void destroy() {
            write();
            meters.ifAvailable(Metrics::removeRegistry);
        }

        synchronized void write() {
            if (file == null) {
                return;
            }
            try {
                Path absolute = file.toAbsolutePath();
                Files.createDirectories(absolute.getParent());
                Path tmp = Files.createTempFile(absolute.getParent(), ".metrics", ".tmp");
                Files.writeString(tmp, meters.getObject().scrape(), StandardCharsets.UTF_8);
                // Atomic, so a collector never reads half a file.
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException e) {
                throw new UncheckedIOException("could not write metrics to " + file, e);
            }
        }

        synchronized void push() {
            if (pushgateway == null) {
                return;
            }
            PushGateway.Builder gateway = PushGateway.builder().address(pushgateway.address).job(pushgateway.job)
                    .scheme("https".equalsIgnoreCase(pushgateway.scheme) ? Scheme.HTTPS : Scheme.HTTP)
                    .registry(meters.getObject().getPrometheusRegistry());
            pushgateway.groupingKey.forEach(gateway::groupingKey);
            if (pushgateway.username != null) {
                gateway.basicAuth(pushgateway.username, pushgateway.password);
            }
            else if (pushgateway.token != null) {
                gateway.bearerToken(pushgateway.token);
            }
            try {
                gateway.build().push();
            }
            catch (IOException | RuntimeException e) {
                // Monitoring must not fail a run that did its work.
                log.warn("could not push metrics to the Pushgateway at {}: {}", pushgateway.address, e.toString());
            }
        }
    }
}
