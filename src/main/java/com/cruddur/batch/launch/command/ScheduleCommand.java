package com.cruddur.batch.launch.command;

import java.util.List;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.Scheduler;
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@code schedule}: runs the jobs of {@code cruddur.scheduler.schedules} on their cron until SIGTERM. When an
 * entry has {@code partitioning=remote}, the scheduler also gets the manager's RabbitMQ side (as a launch with
 * {@code partitioning=remote} does) and refuses a job repository the workers cannot share.
 */
public final class ScheduleCommand implements Command {

    private static final Class<?>[] SOURCES = { CruddurBatchApplication.class, RemoteSchedules.class };

    @Override
    public int run(Invocation invocation) {
        if (!invocation.args().isEmpty()) {
            throw new UsageException("schedule: takes no arguments; the schedules are in "
                    + Invocation.DEFAULT_CONFIG_DIR + "/schedules.yml (" + Scheduler.PREFIX + ".schedules)");
        }
        return invocation.inContext(SOURCES, context -> {
            if (hasRemoteEntry(context.getEnvironment())) {
                WorkerCommand.checkSharedRepository(context, Scheduler.PREFIX + ".schedules: "
                        + Partitioning.PARAMETER + "=remote");
            }
            return context.getBean(Scheduler.class).run();
        });
    }

    /** Whether an entry runs its job with remote partitions; a schedule that does not bind is refused later. */
    static boolean hasRemoteEntry(Environment environment) {
        List<Scheduler.Schedule> schedules;
        try {
            schedules = Binder.get(environment).bind(Scheduler.PREFIX + ".schedules",
                    Bindable.listOf(Scheduler.Schedule.class)).orElse(List.of());
        }
        catch (RuntimeException e) {
            return false;
        }
        return schedules.stream().map(Scheduler.Schedule::parameters)
                .anyMatch(p -> p != null && Partitioning.isRemote(p.get(Partitioning.PARAMETER)));
    }

    /**
     * The manager's RabbitMQ side, only for schedules with a remote entry. Not a component (the scan of
     * the other commands must not find it); a source of {@code schedule} only.
     */
    @Conditional(RemoteEntry.class)
    @Import(RemotePartitioning.class)
    static final class RemoteSchedules {
    }

    static final class RemoteEntry implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return hasRemoteEntry(context.getEnvironment());
        }
    }
}
