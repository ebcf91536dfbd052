package com.cruddur.batch.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Batch's Micrometer metrics out of a one-off or scheduled run: with
 * {@code --cruddur.metrics.file=PATH} (or {@code CRUDDUR_METRICS_FILE}), Spring Batch's observations
 * (spring.batch.job, spring.batch.step, spring.batch.item.read/process, spring.batch.chunk.write ...)
 * go to an in-memory registry that is written to PATH in the Prometheus text format after every job and
 * when the process ends — ready for {@code curl --data-binary @PATH <pushgateway>/metrics/job/cruddur-batch}
 * or node_exporter's textfile collector. No registry dependency beyond micrometer-core, and nothing at
 * all without the property.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("cruddur.metrics.file")
public class MetricsFile {

    @Bean
    SimpleMeterRegistry batchMeterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Spring Boot's BatchObservationAutoConfiguration attaches this to every job and step. */
    @Bean
    ObservationRegistry batchObservationRegistry(SimpleMeterRegistry meters) {
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return registry;
    }

    @Bean
    static Writer metricsFileWriter(Environment environment, org.springframework.beans.factory.ObjectProvider<SimpleMeterRegistry> meters) {
        return new Writer(Path.of(environment.getRequiredProperty("cruddur.metrics.file")), meters);
    }

    /** Writes the file after each job (attached to every job bean) and at shutdown. */
    static final class Writer implements EveryJobListener, DisposableBean {

        private final Path file;
        private final org.springframework.beans.factory.ObjectProvider<SimpleMeterRegistry> meters;

        Writer(Path file, org.springframework.beans.factory.ObjectProvider<SimpleMeterRegistry> meters) {
            this.file = file;
            this.meters = meters;
        }

        @Override
        public void afterJob(JobExecution jobExecution) {
            write();
        }

        @Override
        public void destroy() {
            write();
        }

        synchronized void write() {
            try {
                Path absolute = file.toAbsolutePath();
                Files.createDirectories(absolute.getParent());
                Path tmp = Files.createTempFile(absolute.getParent(), ".metrics", ".tmp");
                Files.writeString(tmp, prometheusText(meters.getObject()), StandardCharsets.UTF_8);
                // Atomic, so a collector never reads half a file.
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException e) {
                throw new UncheckedIOException("could not write metrics to " + file, e);
            }
        }
    }

    /** The Prometheus text exposition format (version 0.0.4) of every meter. */
    static String prometheusText(MeterRegistry registry) {
        StringBuilder out = new StringBuilder();
        registry.getMeters().stream()
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> m.getId().getTags().toString()))
                .forEach(meter -> {
                    String name = name(meter.getId().getName());
                    String labels = labels(meter);
                    if (meter instanceof Timer timer) {
                        line(out, name + "_seconds_count", labels, timer.count());
                        line(out, name + "_seconds_sum", labels, timer.totalTime(TimeUnit.SECONDS));
                        line(out, name + "_seconds_max", labels, timer.max(TimeUnit.SECONDS));
                    }
                    else if (meter instanceof LongTaskTimer timer) {
                        // As Micrometer's Prometheus registry names a long task timer.
                        line(out, name + "_seconds_active_count", labels, timer.activeTasks());
                        line(out, name + "_seconds_duration_sum", labels, timer.duration(TimeUnit.SECONDS));
                    }
                    else if (meter instanceof Counter counter) {
                        line(out, name + "_total", labels, counter.count());
                    }
                    else if (meter instanceof FunctionCounter counter) {
                        line(out, name + "_total", labels, counter.count());
                    }
                    else if (meter instanceof Gauge gauge) {
                        line(out, name, labels, gauge.value());
                    }
                    else {
                        meter.measure().forEach(m -> line(out,
                                name + "_" + m.getStatistic().name().toLowerCase(Locale.ROOT), labels, m.getValue()));
                    }
                });
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ')
                .append(value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value)
                        : String.valueOf(value))
                .append('\n');
    }

    private static String name(String micrometerName) {
        return micrometerName.replaceAll("[^a-zA-Z0-9_:]", "_");
    }

    private static String labels(Meter meter) {
        if (meter.getId().getTags().isEmpty()) {
            return "";
        }
        return meter.getId().getTags().stream()
                .map((Tag t) -> name(t.getKey()) + "=\"" + t.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
