package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import com.cruddur.batch.support.Pushgateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run's Spring Batch metrics pushed to a real Prometheus Pushgateway (Debian's prometheus-pushgateway,
 * installed by .ci/run), started here on a free port.
 */
class PushgatewayTest {

    private static Pushgateway gateway;

    @BeforeAll
    static void startPushgateway() throws Exception {
        gateway = new Pushgateway();
    }

    @AfterAll
    static void stopPushgateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aRunPushesItsJobAndItemMetricsLabelledWithTheJobName() throws Exception {
        Cli.Result result = new Cli()
                .property("management.prometheus.metrics.export.pushgateway.enabled", "true")
                .property("management.prometheus.metrics.export.pushgateway.address", gateway.address())
                .property("management.prometheus.metrics.export.pushgateway.job", "cruddur-batch-test")
                .run(TestJobs.SLOW_COUNT, "items=5", "millis=1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String metrics = gateway.metrics();
        assertThat(metrics)
                .containsPattern("(?m)^spring_batch_job_seconds_count\\{.*job=\"cruddur-batch-test\".*"
                        + "spring_batch_job_name=\"test-slow-count\".*spring_batch_job_status=\"COMPLETED\".*\\} 1$")
                .containsPattern("(?m)^spring_batch_step_seconds_count\\{.*job=\"cruddur-batch-test\".*"
                        + "spring_batch_step_job_name=\"test-slow-count\".*spring_batch_step_name=\"count\".*\\} 1$")
                .containsPattern("(?m)^spring_batch_item_read_seconds_count\\{.*job=\"cruddur-batch-test\".*"
                        + "spring_batch_item_read_job_name=\"test-slow-count\".*\\} \\d+$");
    }

    @Test
    void anUnreachablePushgatewayDoesNotFailTheRun() {
        Cli.Result result = new Cli()
                .property("management.prometheus.metrics.export.pushgateway.enabled", "true")
                .property("management.prometheus.metrics.export.pushgateway.address",
                        "127.0.0.1:" + Emulators.freePort())
                .run(TestJobs.SLOW_COUNT, "items=2", "millis=1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
