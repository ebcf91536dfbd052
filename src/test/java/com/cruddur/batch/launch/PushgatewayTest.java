package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.Cli;
import com.cruddur.batch.support.Emulators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run's Spring Batch metrics pushed to a real Prometheus Pushgateway (Debian's prometheus-pushgateway,
 * installed by .ci/run), started here on a free port.
 */
class PushgatewayTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process gateway;
    private static String address;

    @BeforeAll
    static void startPushgateway() throws Exception {
        address = "127.0.0.1:" + Emulators.freePort();
        Path log = Files.createTempFile("pushgateway", ".log");
        // Debian's build persists to /var/lib/prometheus by default: an empty value keeps metrics in memory,
        // so each start begins empty.
        gateway = new ProcessBuilder("prometheus-pushgateway", "--web.listen-address=" + address,
                "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (get("/-/ready").statusCode() == 200) {
                    return;
                }
            }
            catch (IOException notYet) {
                // not listening yet
            }
            if (!gateway.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus-pushgateway did not start: " + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stopPushgateway() {
        if (gateway != null) {
            gateway.destroy();
        }
    }

    @Test
    void aRunPushesItsJobAndItemMetricsLabelledWithTheJobName() throws Exception {
        Cli.Result result = new Cli()
                .property("management.prometheus.metrics.export.pushgateway.enabled", "true")
                .property("management.prometheus.metrics.export.pushgateway.address", address)
                .property("management.prometheus.metrics.export.pushgateway.job", "cruddur-batch-test")
                .run(TestJobs.SLOW_COUNT, "items=5", "millis=1");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String metrics = get("/metrics").body();
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

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
