package com.cruddur.batch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.launch.testjob.TestJobs;
import com.cruddur.batch.support.ChildLauncher;
import com.cruddur.batch.support.Cli;
import org.junit.jupiter.api.Test;

/**
 * Progress while a step runs and the summary at the end. The launcher runs as a child JVM whose stderr
 * is a file, not a terminal: that is the cron/ECS/Kubernetes case, where progress comes as log lines.
 */
class ProgressReporterTest {

    @Test
    void aLongStepLogsCountsRatePercentAndTimeLeft() throws Exception {
        Cli cli = new Cli();
        ChildLauncher child = ChildLauncher.start(cli,
                List.of("--cruddur.progress.delay=100ms", "--cruddur.progress.log-interval=300ms"),
                TestJobs.SLOW_COUNT, "items=12", "millis=100");
        assertThat(child.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String output = child.output();
        assertThat(child.process.exitValue()).as(output).isZero();

        List<String> progress = output.lines().filter(l -> l.contains("ProgressReporter")).toList();
        assertThat(progress).as(output).isNotEmpty().allMatch(line -> line.matches(
                "[\\d:.]+ INFO  c\\.c\\.batch\\.launch\\.ProgressReporter - test-slow-count/count: read \\d+, "
                        + "written \\d+, skipped 0, \\d+ items/s, \\d+% of 12(, \\d+s left)?"));
        assertThat(progress).anyMatch(line -> line.endsWith("s left"));
        assertThat(output).containsPattern("step count +COMPLETED read 12, written 12, skipped 0, [\\d.]+s, \\d+ items/s")
                .doesNotContain("\r");
    }

    @Test
    void aShortStepLogsNoProgress() throws Exception {
        ChildLauncher child = ChildLauncher.start(new Cli(), List.of(), "list-tables", "prefix=none-");
        assertThat(child.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process.exitValue()).as(child.output()).isZero();
        assertThat(child.output()).contains("0 tables").doesNotContain("ProgressReporter");
    }

    @Test
    void theProgressLineSaysPercentAndTimeLeft() {
        assertThat(ProgressReporter.humanDuration(59)).isEqualTo("59s");
        assertThat(ProgressReporter.humanDuration(61)).isEqualTo("1m01s");
        assertThat(ProgressReporter.humanDuration(3 * 3600 + 120)).isEqualTo("3h02m");
    }
}
