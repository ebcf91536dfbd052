package com.cruddur.batch.launch.command;

import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.Scheduler;

/** {@code schedule}: runs the jobs of {@code cruddur.scheduler.schedules} on their cron until SIGTERM. */
public final class ScheduleCommand implements Command {

    @Override
    public int run(Invocation invocation) {
        if (!invocation.args().isEmpty()) {
            throw new UsageException("schedule: takes no arguments; the schedules are in "
                    + Invocation.DEFAULT_CONFIG_DIR + "/schedules.yml (" + Scheduler.PREFIX + ".schedules)");
        }
        return invocation.inContext(context -> context.getBean(Scheduler.class).run());
    }
}
