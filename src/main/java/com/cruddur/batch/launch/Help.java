package com.cruddur.batch.launch;

import java.io.PrintStream;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;

/** The text of {@code --help}, {@code list} and {@code help <job>}. */
public final class Help {

    private Help() {
    }

    public static void printAll(PrintStream out) {
        out.println("usage: java -jar cruddur-batch.jar <job> [key=value ...] [--config=DIR] [--spring.profiles.active=prod]");
        out.println("       java -jar cruddur-batch.jar help <job> | list | schedule | executions [<job>] [last=N]");
        out.println("       java -jar cruddur-batch.jar restart|stop|abandon|recover <execution-id>");
        out.println("       java -jar cruddur-batch.jar worker   (runs the partitions of partitioning=remote launches)");
        out.println();
        out.println("Launching a job again with the same identifying parameters restarts a FAILED or STOPPED run from");
        out.println("its last commit; after a COMPLETED run it starts a new one (run.id=N).");
        out.println("Exit codes: 0 completed, 1 failed, 2 bad command line or configuration, 3 stopped, 4 not started,");
        out.println("            5 completed but some records were rejected (see the rejects file).");
        out.println();
        out.println("jobs:");
        for (JobDescriptor job : JobCatalog.JOBS) {
            out.printf("  %-22s %s%n", job.name(), job.summary());
            for (ParameterSpec p : job.parameters()) {
                out.println("      " + parameterLine(p));
            }
            out.println("      e.g. " + job.example());
        }
    }

    public static void printJob(PrintStream out, JobDescriptor job) {
        out.println(job.name() + ": " + job.summary());
        out.println("parameters:");
        for (ParameterSpec p : job.parameters()) {
            out.println("  " + parameterLine(p));
        }
        out.println("example:");
        out.println("  " + job.example());
    }

    private static String parameterLine(ParameterSpec p) {
        String dflt = p.required() ? "required" : p.defaultText() == null ? "optional" : "default " + p.defaultText();
        return String.format("%-18s %s (%s%s)", p.name() + "=", p.description(), dflt,
                p.identifying() ? "" : ", may change on restart");
    }
}
