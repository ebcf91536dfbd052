package com.cruddur.batch.launch.command;

import java.util.List;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.Command;
import com.cruddur.batch.launch.Invocation;
import com.cruddur.batch.launch.JobLock;
import com.cruddur.batch.launch.JobRunner;
import com.cruddur.batch.launch.ProcessMarker;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.ApplicationContext;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * {@code <command> <execution-id>}: one of Spring Batch's {@link JobOperator} verbs on an execution of the
 * job repository. Whether the process of a running execution is alive is decided by its job-instance lock
 * ({@link JobLock}): held means alive, free means gone.
 */
abstract class ExecutionCommand implements Command {

    @Override
    public int run(Invocation invocation) {
        long id = executionId(invocation);
        return invocation.inContext(context -> run(id, new Batch(context, invocation.console())));
    }

    static long executionId(Invocation invocation) {
        List<String> args = invocation.args();
        String word = invocation.word();
        if (args.size() != 1 || !args.get(0).matches("\\d+")) {
            throw new UsageException(word + ": expected one execution id, e.g. '" + word + " 42'");
        }
        return Long.parseLong(args.get(0));
    }

    abstract int run(long id, Batch batch) throws Exception;

    /** The beans these commands use. */
    record Batch(JobRepository jobRepository, JobOperator jobOperator, JobRunner jobRunner, JobLock jobLock,
            ApplicationContext context, Console console) {

        Batch(ApplicationContext context, Console console) {
            this(context.getBean(JobRepository.class), context.getBean(JobOperator.class),
                    context.getBean(JobRunner.class), context.getBean(JobLock.class), context, console);
        }

        /** The execution as the repository has it now; Spring Batch 6.0's JDBC DAO throws for an unknown id. */
        JobExecution find(long id) {
            try {
                JobExecution execution = jobRepository.getJobExecution(id);
                if (execution != null) {
                    return execution;
                }
            }
            catch (EmptyResultDataAccessException e) {
                // below
            }
            throw new UsageException("no job execution " + id + "; 'executions' lists them");
        }

        String instanceKey(JobExecution execution) {
            return JobLock.instanceKey(execution.getJobInstance().getJobName(), execution.getJobParameters());
        }
    }

    static String jobOf(JobExecution execution) {
        return execution.getJobInstance().getJobName();
    }

    /** " (pid N on host)", or nothing when the process had not recorded itself. */
    static String process(JobExecution execution) {
        String process = ProcessMarker.describe(execution);
        return process != null ? " (" + process + ")" : "";
    }
}
