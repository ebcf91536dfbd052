package com.cruddur.batch.dynamodb;

import java.lang.reflect.Field;
import java.util.List;

import org.springframework.aop.framework.Advised;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.batch.core.step.skip.SkipPolicy;
import org.springframework.context.ApplicationContext;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.ReflectionUtils;

/**
 * Refuses the steps in which write-behind would be unsafe. With write-behind a chunk's requests are still
 * running when it commits, and the restart position is kept one chunk behind, so a failed write can belong
 * to the previous chunk; that only holds up if the failure fails the step:
 * <ul>
 * <li>a fault-tolerant step whose retry policy retries, or whose skip policy skips, a failed write would
 * write this chunk again (or item by item) and commit a position past the previous chunk's items, which
 * were never written;</li>
 * <li>a step with a task executor (a multi-threaded step) does not read and write its chunks in order on
 * one thread, which the one-chunk-behind position assumes.</li>
 * </ul>
 * A step that is fault-tolerant for reads and processing only (its policies neither retry nor skip the
 * writer's failures) is fine. Spring Batch's {@link ChunkOrientedStep} offers no getters for its set-up,
 * so it is read from its fields; a step whose set-up cannot be read is refused too.
 */
public final class WriteBehindStepCheck {

    /** What a write can fail with, as a skip or retry policy would be shown it. */
    private static final List<Exception> WRITE_FAILURES = List.of(
            new DynamoDbBatchItemWriter.DynamoDbBatchWriteException("write-behind check"),
            new DynamoDbBatchItemWriter.ItemTooLargeException("write-behind check"),
            new IllegalArgumentException("write-behind check"), new IllegalStateException("write-behind check"),
            new RuntimeException("write-behind check"), new Exception("write-behind check"));

    private WriteBehindStepCheck() {
    }

    /** Throws {@link UnsafeWriteBehindException} if a write-behind writer must not run in this step. */
    public static void check(Step step) {
        Object target = target(step);
        String name = step.getName();
        if (!(target instanceof ChunkOrientedStep<?, ?> chunkStep)) {
            throw new UnsafeWriteBehindException("step '" + name + "' is a " + target.getClass().getSimpleName()
                    + ", not a chunk-oriented step (StepBuilder.chunk(int)): write-behind is only checked and "
                    + "supported there; build the writer without writeBehind");
        }
        if (field(chunkStep, "taskExecutor") != null) {
            throw new UnsafeWriteBehindException("step '" + name + "' has a task executor: write-behind keeps the "
                    + "restart position one chunk behind, which holds only when one thread reads and writes the "
                    + "chunks in order; remove the step's task executor or build the writer without writeBehind");
        }
        if (!Boolean.TRUE.equals(field(chunkStep, "faultTolerant"))) {
            return;
        }
        RetryPolicy retryPolicy = (RetryPolicy) field(chunkStep, "retryPolicy");
        SkipPolicy skipPolicy = (SkipPolicy) field(chunkStep, "skipPolicy");
        for (Exception failure : WRITE_FAILURES) {
            if (retryPolicy != null && retryPolicy.shouldRetry(failure)) {
                throw unsafe(name, "retry policy would retry", failure);
            }
            if (skipPolicy != null && skips(skipPolicy, failure)) {
                throw unsafe(name, "skip policy would skip", failure);
            }
        }
    }

    private static UnsafeWriteBehindException unsafe(String step, String what, Exception failure) {
        return new UnsafeWriteBehindException("step '" + step + "' is fault-tolerant and its " + what + " a failed "
                + "write (" + failure.getClass().getSimpleName() + "): with write-behind a write can fail for the "
                + "previous chunk's requests, and writing this chunk again would commit a restart position past "
                + "items that were never written; let the policies retry and skip read and process failures only, "
                + "or build the writer without writeBehind");
    }

    private static boolean skips(SkipPolicy policy, Exception failure) {
        try {
            // -1: whether the failure is skippable at all, whatever the count (as Spring Batch asks it)
            return policy.shouldSkip(failure, -1);
        }
        catch (RuntimeException limitReached) {
            return true; // it is skippable, only not now
        }
    }

    /**
     * The step named so in the job named so, as the job holds it: the writer knows its step only by the
     * names its StepExecution carries.
     */
    static Step find(ApplicationContext context, String jobName, String stepName) {
        if (context != null) {
            for (Job job : context.getBeansOfType(Job.class, false, false).values()) {
                Object target = target(job);
                if (target instanceof Job found && jobName.equals(found.getName()) && target instanceof StepLocator steps) {
                    try {
                        Step step = steps.getStep(stepName);
                        if (step != null) {
                            return step;
                        }
                    }
                    catch (RuntimeException noSuchStep) {
                        // not one of the job's own steps
                    }
                }
            }
        }
        throw new UnsafeWriteBehindException("write-behind cannot check step '" + stepName + "' of job '" + jobName
                + "': the writer must be a bean of the job's application context (step-scoped, say) and the step "
                + "one of the job's own steps");
    }

    /** The object behind Spring's proxies (a job- or step-scoped step is one). */
    private static Object target(Object bean) {
        Object current = bean;
        while (current instanceof Advised advised) {
            Object next;
            try {
                next = advised.getTargetSource().getTarget();
            }
            catch (Exception e) {
                throw new UnsafeWriteBehindException("write-behind cannot check " + bean + ": " + e.getMessage());
            }
            if (next == null || next == current) {
                break;
            }
            current = next;
        }
        return current;
    }

    private static Object field(ChunkOrientedStep<?, ?> step, String name) {
        Field field = ReflectionUtils.findField(ChunkOrientedStep.class, name);
        if (field == null) {
            throw new UnsafeWriteBehindException("write-behind cannot read the set-up of step '" + step.getName()
                    + "' (no field '" + name + "' in this Spring Batch's ChunkOrientedStep), so it is refused");
        }
        ReflectionUtils.makeAccessible(field);
        return ReflectionUtils.getField(field, step);
    }

    /** A step in which a write-behind writer must not run. */
    public static class UnsafeWriteBehindException extends IllegalStateException {
        public UnsafeWriteBehindException(String message) {
            super(message);
        }
    }
}
