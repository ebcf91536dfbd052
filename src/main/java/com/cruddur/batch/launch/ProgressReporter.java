package com.cruddur.batch.launch;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.Progress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Reports a running step: items read, written and skipped, the rate, and with a total
 * ({@link Progress#TOTAL_KEY}) percent done and time left. On a terminal it is one line on stderr that
 * rewrites itself every second; otherwise (cron, ECS, Kubernetes) it is a log line every
 * {@code cruddur.progress.log-interval} (30 s). Steps shorter than {@code cruddur.progress.delay}
 * (2 s on a terminal, else the log interval) print nothing; {@code cruddur.progress.log-lines=true}
 * asks for log lines on a terminal too. Attached to every step bean and every step of every job, as
 * {@link ProcessMarker} is to jobs.
 */
@Component
public class ProgressReporter implements StepExecutionListener, BeanPostProcessor {

    private static final Log logger = LogFactory.getLog(ProgressReporter.class);

    private final Console console;
    private final boolean terminal;
    private final Duration interval;
    private final Duration delay;
    private final Set<Object> attached = Collections.newSetFromMap(new WeakHashMap<>());
    private final Map<Long, ScheduledFuture<?>> reporting = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    public ProgressReporter(Console console, Environment environment) {
        this.console = console;
        this.terminal = System.console() != null && !environment.getProperty("cruddur.progress.log-lines", Boolean.class, false);
        this.interval = terminal ? Duration.ofSeconds(1)
                : environment.getProperty("cruddur.progress.log-interval", Duration.class, Duration.ofSeconds(30));
        // On a terminal a person is waiting: show the line soon. In logs, one line per interval is enough.
        this.delay = environment.getProperty("cruddur.progress.delay", Duration.class,
                terminal ? Duration.ofSeconds(2) : interval);
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractStep step) {
            attach(step);
        }
        if (bean instanceof AbstractJob job) {
            try {
                for (String name : job.getStepNames()) {
                    Step step = job.getStep(name);
                    if (step instanceof AbstractStep abstractStep) {
                        attach(abstractStep);
                    }
                }
            }
            catch (RuntimeException e) {
                // A @JobScope/@StepScope step proxy cannot even say its name outside a running job; its
                // target is a bean too, and is attached by the branch above when the scope creates it.
            }
        }
        return bean;
    }

    private synchronized void attach(AbstractStep step) {
        if (attached.add(step)) {
            step.registerStepExecutionListener(this);
        }
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        long first = Math.max(delay.toMillis(), 1);
        reporting.put(stepExecution.getId(), timer().scheduleAtFixedRate(() -> report(stepExecution), first,
                interval.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        ScheduledFuture<?> task = reporting.remove(stepExecution.getId());
        if (task != null) {
            task.cancel(false);
            if (terminal) {
                synchronized (console) {
                    console.err().print("\r\033[K");
                    console.err().flush();
                }
            }
        }
        return null;
    }

    private void report(StepExecution step) {
        try {
            String line = line(step, LocalDateTime.now());
            if (terminal) {
                synchronized (console) {
                    console.err().print("\r\033[K" + line);
                    console.err().flush();
                }
            }
            else {
                logger.info(line);
            }
        }
        catch (RuntimeException e) {
            // Counts read while the step updates them; a bad reading is skipped, not fatal.
        }
    }

    /** e.g. {@code conversation-seed/load: read 12000, written 11990, skipped 10, 2400 items/s, 44% of 27000, 6s left}. */
    static String line(StepExecution step, LocalDateTime now) {
        long read = step.getReadCount();
        long written = step.getWriteCount();
        long skipped = step.getSkipCount();
        if (read == 0 && written == 0 && skipped == 0) {
            // A partition manager (table-export, table-import) gets its counts only when every partition has
            // ended; meanwhile its partitions' live counts say how far it is. They are the job execution's
            // step executions named <worker>:<partition>, started since this step started.
            for (StepExecution partition : List.copyOf(step.getJobExecution().getStepExecutions())) {
                if (partition != step && partition.getStepName().contains(":") && partition.getStartTime() != null
                        && step.getStartTime() != null && !partition.getStartTime().isBefore(step.getStartTime())) {
                    read += partition.getReadCount();
                    written += partition.getWriteCount();
                    skipped += partition.getSkipCount();
                }
            }
        }
        long done = Math.max(read + step.getReadSkipCount(), written);
        double seconds = step.getStartTime() == null ? 0
                : Math.max(0.001, Duration.between(step.getStartTime(), now).toMillis() / 1000.0);
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s/%s: read %d, written %d, skipped %d, %.0f items/s",
                step.getJobExecution().getJobInstance().getJobName(), step.getStepName(), read, written, skipped, rate));
        var context = step.getExecutionContext();
        if (context.containsKey(Progress.TOTAL_KEY)) {
            long total = context.getLong(Progress.TOTAL_KEY);
            if (total > 0) {
                line.append(String.format(Locale.ROOT, ", %d%% of %d", Math.min(100, done * 100 / total), total));
                if (rate > 0 && done < total) {
                    line.append(", ").append(humanDuration(Math.round((total - done) / rate))).append(" left");
                }
            }
        }
        return line.toString();
    }

    static String humanDuration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "progress");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
            }
        }
        return timer;
    }
}
