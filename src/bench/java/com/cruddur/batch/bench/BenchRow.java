package com.cruddur.batch.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One machine-readable result line of a benchmark program, collected by {@code scripts/bench.sh} into
 * its one table. Tab-separated after the {@code BENCH} marker: what, ours (job only), ours (whole
 * launch), reference, ratio job only, ratio whole launch, target, met, CPU seconds per 100k items of
 * our side and of the reference (blank when not measured), the load average at the end.
 * Rates are items per second; a ratio is ours over the reference (higher is better on both).
 */
public final class BenchRow {

    private BenchRow() {
    }

    /** CPU time of this JVM so far (all threads, GC included), in seconds. */
    public static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        }
        catch (Exception e) {
            return "?";
        }
    }

    /**
     * @param items        items of our side; {@code refItems} of the reference (a subset when it is slow)
     * @param ourJobRate   items/s of the job alone (its step(s) or the job's own time)
     * @param ourWholeRate items/s of the whole launch (Spring start-up in this warm JVM included)
     * @param refRate      items/s of the reference program
     * @param target       the ratio to reach (ours/reference), compared against the job-only ratio and
     *                     printed for both
     * @param ourCpu       CPU seconds of our launch, negative when not measured
     * @param refCpu       CPU seconds of the reference, negative when not measured
     */
    public static void print(String what, long items, long refItems, double ourJobRate, double ourWholeRate, double refRate,
            double target, double ourCpu, double refCpu) {
        double jobRatio = ourJobRate / refRate;
        double wholeRatio = ourWholeRate / refRate;
        String met = (jobRatio >= target ? "yes" : "no") + " job / " + (wholeRatio >= target ? "yes" : "no") + " whole";
        System.out.println(String.join("\t", "BENCH", what,
                String.format(Locale.ROOT, "%.0f/s", ourJobRate), String.format(Locale.ROOT, "%.0f/s", ourWholeRate),
                String.format(Locale.ROOT, "%.0f/s", refRate), String.format(Locale.ROOT, "%.2f", jobRatio),
                String.format(Locale.ROOT, "%.2f", wholeRatio), String.format(Locale.ROOT, ">= %.2f", target), met,
                ourCpu < 0 ? "" : String.format(Locale.ROOT, "%.2f", ourCpu * 100_000 / items),
                refCpu < 0 ? "" : String.format(Locale.ROOT, "%.2f", refCpu * 100_000 / refItems), loadAverage()));
    }
}
