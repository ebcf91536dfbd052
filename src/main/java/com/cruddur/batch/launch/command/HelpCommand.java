package com.cruddur.batch.launch.command;

import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.Help;
import com.cruddur.batch.launch.Invocation;

/** {@code help [<job>]}: a job's parameters and example; without a job, the usage and every job. */
public final class HelpCommand implements Command {

    @Override
    public int run(Invocation invocation) {
        if (invocation.args().isEmpty()) {
            Help.printAll(invocation.console().out());
        }
        else {
            Help.printJob(invocation.console().out(), RunCommand.job(invocation.args().get(0)));
        }
        return ExitCodes.COMPLETED;
    }

    @Override
    public int help(Invocation invocation) {
        return run(invocation);
    }
}
