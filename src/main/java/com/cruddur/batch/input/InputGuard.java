package com.cruddur.batch.input;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.cruddur.batch.job.RestartCheck;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Keeps the {@link InputFingerprint} of each input file of a job in its ExecutionContext at the first
 * start, and refuses a restart whose input changed since: the restart would resume at a saved record
 * count in a different file, skipping or repeating rows silently. Checked before a restart is created
 * ({@link RestartCheck}: one line, exit code 2, nothing written) and again when the job starts (for
 * any other way of restarting it).
 */
public class InputGuard implements JobExecutionListener, RestartCheck {

    static final String KEY_PREFIX = "input.";

    private final String job;
    /** Parameter name -> the fingerprint of what it names (null when the run reads nothing there). */
    private final Map<String, Function<JobParameters, InputFingerprint>> inputs;
    private final JobRepository jobRepository;

    public InputGuard(String job, Map<String, Function<JobParameters, List<Path>>> inputs, JobRepository jobRepository) {
        this.job = job;
        this.inputs = new LinkedHashMap<>();
        inputs.forEach((parameter, files) -> this.inputs.put(parameter, parameters -> {
            List<Path> named = files.apply(parameters);
            return named.isEmpty() ? null : InputFingerprint.of(named);
        }));
        this.jobRepository = jobRepository;
    }

    private InputGuard(Map<String, Function<JobParameters, InputFingerprint>> inputs, String job,
            JobRepository jobRepository) {
        this.job = job;
        this.inputs = inputs;
        this.jobRepository = jobRepository;
    }

    /**
     * A guard given each parameter's fingerprint directly (null when the run reads nothing there), for
     * inputs that are not local files (an S3 object: S3Inputs#fingerprintOf).
     */
    public static InputGuard ofFingerprints(String job, Map<String, Function<JobParameters, InputFingerprint>> inputs,
            JobRepository jobRepository) {
        return new InputGuard(inputs, job, jobRepository);
    }

    /** A parameter that names one file. */
    public static Function<JobParameters, List<Path>> file(String parameter) {
        return parameters -> {
            String value = parameters.getString(parameter);
            return value == null ? List.of() : List.of(Path.of(value));
        };
    }

    @Override
    public void beforeRestart(JobExecution last) throws InvalidJobParametersException {
        if (!last.getJobInstance().getJobName().equals(job)) {
            return;
        }
        // Read again with its ExecutionContext, which not every way of finding an execution loads.
        JobExecution stored = jobRepository.getJobExecution(last.getId());
        String problem = changed(stored == null ? last : stored);
        if (problem != null) {
            throw new InvalidJobParametersException(problem);
        }
    }

    @Override
    public void beforeJob(JobExecution jobExecution) {
        ExecutionContext context = jobExecution.getExecutionContext();
        String problem = changed(jobExecution);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        boolean added = false;
        for (Map.Entry<String, Function<JobParameters, InputFingerprint>> input : inputs.entrySet()) {
            String key = KEY_PREFIX + input.getKey();
            if (context.containsKey(key)) {
                continue;
            }
            InputFingerprint fingerprint;
            try {
                fingerprint = input.getValue().apply(jobExecution.getJobParameters());
                if (fingerprint == null) {
                    continue;
                }
            }
            catch (RuntimeException unreadable) {
                continue; // the step that reads it fails with its own message
            }
            context.putString(key, fingerprint.toString());
            added = true;
        }
        if (added) {
            // Saved before any step runs, so that a kill at any later point leaves it for the restart.
            jobRepository.updateExecutionContext(jobExecution);
        }
    }

    /** Null when every input kept in this execution's context is unchanged, else the one-line refusal. */
    private String changed(JobExecution execution) {
        ExecutionContext context = execution.getExecutionContext();
        for (Map.Entry<String, Function<JobParameters, InputFingerprint>> input : inputs.entrySet()) {
            String kept = context.getString(KEY_PREFIX + input.getKey(), null);
            if (kept == null) {
                continue;
            }
            String given = execution.getJobParameters().getString(input.getKey());
            InputFingerprint then = InputFingerprint.parse(kept);
            InputFingerprint now;
            try {
                now = input.getValue().apply(execution.getJobParameters());
                if (now == null) {
                    throw new IllegalStateException("not given");
                }
            }
            catch (RuntimeException e) {
                return refusal(execution, input.getKey(), given, "it can no longer be read: " + e.getMessage());
            }
            if (!now.equals(then)) {
                return refusal(execution, input.getKey(), given, now.differenceFrom(then));
            }
        }
        return null;
    }

    private String refusal(JobExecution execution, String parameter, String given, String how) {
        return job + ": refusing to restart: " + parameter + "=" + given + " changed since the run that failed "
                + "started (" + how + "), and its saved position would skip or repeat rows; put the original back "
                + "to restart, or run 'abandon " + execution.getId() + "' and launch again to start over";
    }
}
