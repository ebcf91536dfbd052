package com.cruddur.batch.launch;

import java.time.Duration;

import com.cruddur.batch.job.Console;
import org.springframework.core.env.Environment;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The launcher's SIGTERM/SIGINT handling (ECS and Kubernetes send SIGTERM, then SIGKILL after a grace
 * period). A signal handler rather than a JVM shutdown hook: a shutdown hook runs alongside the
 * others, and H2's and the connection pool's would close the job repository under a job that still
 * has to write its STOPPED status. Here nothing shuts down: the running jobs are asked to stop at their
 * next commit ({@link RunningJobs#stopAll}), the main thread prints their summary, closes the context
 * and exits with the job's code (3 for STOPPED). A second signal ends the process at once.
 */
public final class GracefulShutdown implements SignalHandler {

    /** Below the 30 s that ECS (stopTimeout) and Kubernetes (terminationGracePeriodSeconds) allow by default. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(25);
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final RunningJobs runningJobs;
    private final Duration timeout;
    private final Console console;
    private volatile boolean signalled;
    private SignalHandler[] previous;

    private GracefulShutdown(RunningJobs runningJobs, Duration timeout, Console console) {
        this.runningJobs = runningJobs;
        this.timeout = timeout;
        this.console = console;
    }

    /** How long running jobs get to reach their next commit: {@code cruddur.batch.stop-timeout}. */
    public static Duration timeout(Environment environment) {
        return environment.getProperty("cruddur.batch.stop-timeout", Duration.class, STOP_TIMEOUT);
    }

    static GracefulShutdown install(RunningJobs runningJobs, Duration timeout, Console console) {
        GracefulShutdown handler = new GracefulShutdown(runningJobs, timeout, console);
        handler.previous = new SignalHandler[SIGNALS.length];
        for (int i = 0; i < SIGNALS.length; i++) {
            try {
                handler.previous[i] = Signal.handle(new Signal(SIGNALS[i]), handler);
            }
            catch (IllegalArgumentException e) {
                // Signal not available here (or -Xrs): the JVM's default handling stays.
            }
        }
        return handler;
    }

    @Override
    public void handle(Signal signal) {
        if (signalled) {
            console.err().println("received SIG" + signal.getName() + " again: exiting now; running executions stay "
                    + "STOPPING until 'recover <id>' (or the next launch) marks them FAILED");
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        signalled = true;
        int count = runningJobs.running().size();
        console.err().println("received SIG" + signal.getName() + ": " + (count == 0 ? "no job running"
                : "stopping " + count + " running job(s) at their next commit (up to " + timeout.toSeconds() + "s)"));
        // Signal handlers run on their own thread; waiting here does not block the jobs.
        Thread waiter = new Thread(() -> {
            if (!runningJobs.stopAll(timeout)) {
                console.err().println("jobs did not stop within " + timeout.toSeconds() + "s; exiting; they stay "
                        + "STOPPING until 'recover <id>' (or the next launch) marks them FAILED");
                System.exit(ExitCodes.FAILED);
            }
        }, "cruddur-batch-stop");
        waiter.setDaemon(true);
        waiter.start();
    }

    /** Called by the main thread when its work is done: the JVM's default handling comes back. */
    void finished() {
        for (int i = 0; i < SIGNALS.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(SIGNALS[i]), previous[i]);
            }
        }
    }
}
