package com.cruddur.batch.launch.command;

import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.ExitCodes;
import com.cruddur.batch.launch.Help;
import com.cruddur.batch.launch.Invocation;

/** {@code list}: the usage and every job with its parameters, as {@code --help} prints them. */
public final class ListCommand implements Command {

    @Override
    public int run(Invocation invocation) {
        Help.printAll(invocation.console().out());
        return ExitCodes.COMPLETED;
    }
}
