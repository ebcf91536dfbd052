package com.cruddur.batch.launch.command;

import java.util.Map;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.Help;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.JobCatalog;
import com.cruddur.batch.launch.JobRunner;
import com.cruddur.batch.launch.Launcher;
import com.cruddur.batch.launch.RunSummary;
import org.springframework.batch.core.job.JobExecution;

/**
 * {@code <job> key=value ...}: checks the parameters against the job's descriptor, then starts a Spring
 * context with that job's configuration only and launches it ({@link JobRunner#launch}).
 */
public final class RunCommand implements Command {

    @Override
    public int run(Invocation invocation) {
        JobDescriptor descriptor = job(invocation.word());
        Map<String, String> given = descriptor.parse(invocation.args());
        return invocation.inContext(WorkerCommand.sources(Launcher.sources(descriptor), given), context -> {
            WorkerCommand.checkLaunch(context, given);
            JobExecution execution = context.getBean(JobRunner.class).launch(descriptor, given);
            RunSummary.print(execution, invocation.console());
            return ExitCodes.of(execution);
        });
    }

    /** {@code <job> --help}: that job's help. */
    @Override
    public int help(Invocation invocation) {
        Help.printJob(invocation.console().out(), job(invocation.word()));
        return ExitCodes.COMPLETED;
    }

    static JobDescriptor job(String name) {
        return JobCatalog.find(name).orElseThrow(
                () -> new UsageException("unknown job or command '" + name + "'; 'list' shows the jobs"));
    }
}
