package com.cruddur.batch.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.cruddur.batch.job.Console;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The manager's side of a partitioned replay: makes the partitions (one per file, or one per shard lineage),
 * and once they have all ended (on this process's threads or on remote workers) prints the summary over all
 * of them, joins their rejects into the one rejects file and applies {@code skip-limit} to the total.
 * <p>
 * Totals come from each partition's newest step execution in the job repository, whichever run or process
 * ran it: a restart runs only the partitions that did not complete, and its summary still counts the ones an
 * earlier run completed, so it prints what a run that never failed prints.
 */
class ReplayPartitions implements Partitioner, StepExecutionListener {

    /** Partition name -> what its reader needs (in the partition's ExecutionContext). */
    private final Supplier<Map<String, ExecutionContext>> partitions;
    private final String workerStep;
    private final JobRepository jobRepository;
    private final ReplayRejectsParts rejects;
    private final String rejectsLocation;
    private final int skipLimit;
    private final Console console;
    private final List<String> names = new ArrayList<>();
    /** partition() ran in this execution: without it (it failed) there is nothing to sum or join. */
    private boolean partitioned;

    ReplayPartitions(Supplier<Map<String, ExecutionContext>> partitions, String workerStep, JobRepository jobRepository,
            ReplayRejectsParts rejects, String rejectsLocation, int skipLimit, Console console) {
        this.partitions = partitions;
        this.workerStep = workerStep;
        this.jobRepository = jobRepository;
        this.rejects = rejects;
        this.rejectsLocation = rejectsLocation;
        this.skipLimit = skipLimit;
        this.console = console;
    }

    /** In a partition's ExecutionContext: its name (the step name is {@code <worker step>:<name>}). */
    static final String PARTITION = "partition";

    /** Called by every run, restarts included (they get the same names: the inputs are checked unchanged). */
    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> made = new LinkedHashMap<>(partitions.get());
        made.forEach((name, context) -> context.putString(PARTITION, name));
        names.clear();
        names.addAll(made.keySet());
        partitioned = true;
        return made;
    }

    @Override
    public ExitStatus afterStep(StepExecution manager) {
        if (!partitioned) {
            // Listing the files or the stream's shards failed: its reason is the run's; an earlier run's rejects
            // file stays as it was.
            return null;
        }
        JobInstance instance = manager.getJobExecution().getJobInstance();
        List<ExecutionContext> contexts = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            StepExecution last = jobRepository.getLastStepExecution(instance, workerStep + ":" + name);
            if (last != null) {
                contexts.add(last.getExecutionContext());
            }
            // Where the partition's first run put it, whatever rejects= this run was given.
            parts.add(last == null ? ReplayRejectsParts.partLocation(rejectsLocation, instance.getInstanceId(), name)
                    : last.getExecutionContext().getString(ReplayRejectsParts.PART,
                            ReplayRejectsParts.partLocation(rejectsLocation, instance.getInstanceId(), name)));
        }
        ReplayCounters totals = ReplayCounters.sumOf(contexts);
        MessageGroupReplayJobConfiguration.ReplaySummary.printCounts(totals, console);
        long rejected = totals.get(ReplayCounters.REJECTED);
        if (rejected > manager.getSkipCount()) {
            // Skips of partitions an earlier run completed: counted here too, so that a restart ends with the exit
            // code of a straight run (5 when records were rejected), not only the skips it met itself.
            manager.setReadSkipCount(manager.getReadSkipCount() + rejected - manager.getSkipCount());
        }
        boolean overLimit = rejected > skipLimit;
        // The parts stay until the replay completes: a restart joins them again with its own.
        String notJoined = rejects.join(parts, rejected, manager.getStatus() == BatchStatus.COMPLETED && !overLimit);
        if (notJoined != null) {
            console.out().println("rejected " + rejected + "; " + notJoined);
            return fail(manager, notJoined);
        }
        console.out().println("rejected " + rejected + (rejected == 0 ? "" : " (see " + rejectsLocation + ")"));
        if (overLimit && manager.getStatus() == BatchStatus.COMPLETED) {
            // Each partition stops past skip-limit on its own; partitions running at once can together pass it.
            return fail(manager, rejected + " records rejected over all partitions, more than skip-limit=" + skipLimit
                    + "; the records are in " + rejectsLocation);
        }
        return null;
    }

    private static ExitStatus fail(StepExecution manager, String reason) {
        manager.setStatus(BatchStatus.FAILED);
        manager.addFailureException(new IllegalStateException(reason));
        return ExitStatus.FAILED.addExitDescription(reason);
    }
}
