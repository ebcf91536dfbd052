package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/** Spring Batch's own Micrometer metrics, written by a one-off run as the Prometheus registry's scrape output. */
class MetricsFileTest {

    @Test
    void aRunWritesSpringBatchMetricsToTheFileAsked() throws Exception {
        Path file = Files.createTempDirectory("metrics").resolve("cruddur-batch.prom");
        Cli.Result result = new Cli().property("cruddur.metrics.file", file.toString())
                .run(TestJobs.SLOW_COUNT, "items=5", "millis=1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String metrics = Files.readString(file);
        // Micrometer's Prometheus registry's own scrape output, HELP/TYPE lines included.
        assertThat(metrics).contains("# TYPE spring_batch_job_seconds ")
                .containsPattern("(?m)^spring_batch_job_seconds_count\\{.*spring_batch_job_name=\"test-slow-count\".*"
                        + "spring_batch_job_status=\"COMPLETED\".*\\} 1$")
                .containsPattern("(?m)^spring_batch_step_seconds_count\\{.*spring_batch_step_name=\"count\".*\\} 1$")
                .containsPattern("(?m)^spring_batch_item_read_seconds_count\\{.*\\} \\d+$");
    }

    @Test
    void withoutThePropertyNothingIsWritten() {
        Cli.Result result = new Cli().run("list-tables", "prefix=none-");
        assertThat(result.exitCode()).isZero();
        assertThat(Path.of("cruddur-batch.prom")).doesNotExist();
    }
}
