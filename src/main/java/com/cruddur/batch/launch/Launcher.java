package com.cruddur.batch.launch;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.aws.CruddurProperties;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.UsageException;
import com.cruddur.batch.launch.command.AbandonCommand;
import com.cruddur.batch.launch.command.ExecutionsCommand;
import com.cruddur.batch.launch.command.HelpCommand;
import com.cruddur.batch.launch.command.ListCommand;
import com.cruddur.batch.launch.command.RecoverCommand;
import com.cruddur.batch.launch.command.RestartCommand;
import com.cruddur.batch.launch.command.RunCommand;
import com.cruddur.batch.launch.command.ScheduleCommand;
import com.cruddur.batch.launch.command.StopCommand;
import com.cruddur.batch.launch.command.WorkerCommand;
import com.cruddur.batch.partition.RemotePartitioning;
import com.cruddur.batch.partition.RemoteWorker;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * The command line: {@code <job> key=value ...} or {@code <command> ...} (see {@link #COMMANDS}).
 * Arguments starting with {@code --} other than {@code --config} and {@code --help} are Spring Boot
 * properties ({@code --spring.profiles.active=prod}). Only parses and dispatches: the commands check
 * their own arguments before starting Spring, so mistakes cost milliseconds and print one line.
 */
public class Launcher {

    /** The command words; any other word names a job ({@link RunCommand}). */
    static final Map<String, Command> COMMANDS = Map.ofEntries(
            Map.entry("list", new ListCommand()),
            Map.entry("help", new HelpCommand()),
            Map.entry("executions", new ExecutionsCommand()),
            Map.entry("restart", new RestartCommand()),
            Map.entry("stop", new StopCommand()),
            Map.entry("abandon", new AbandonCommand()),
            Map.entry("recover", new RecoverCommand()),
            Map.entry("schedule", new ScheduleCommand()),
            Map.entry("worker", new WorkerCommand()));

    private static final Command RUN = new RunCommand();

    /** Every job and the scheduler, by component scan: for the commands that may touch any job. */
    static final Class<?>[] ALL_JOBS = { CruddurBatchApplication.class };

    private final Console console;

    public Launcher(PrintStream out, PrintStream err) {
        this.console = new Console(out, err);
    }

    public int run(String... args) {
        List<String> words = new ArrayList<>();
        List<String> springArgs = new ArrayList<>();
        String configDir = null;
        boolean help = false;
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            }
            else if (arg.startsWith("--config=")) {
                configDir = arg.substring("--config=".length());
            }
            else if (arg.startsWith("--")) {
                springArgs.add(arg);
            }
            else {
                words.add(arg);
            }
        }
        try {
            checkCruddurProperties(springArgs);
            if (words.isEmpty()) {
                Help.printAll(console.out());
                return help ? ExitCodes.COMPLETED : ExitCodes.USAGE;
            }
            Invocation invocation = new Invocation(words.get(0), words.subList(1, words.size()), console, configDir,
                    springArgs);
            Command command = COMMANDS.getOrDefault(invocation.word(), RUN);
            return help ? command.help(invocation) : command.run(invocation);
        }
        catch (UsageException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    /**
     * A job launch builds the shared infrastructure and the job's own configuration only: the other jobs'
     * configurations and clients cost most of the start-up (class loading) and are not needed.
     */
    public static Class<?>[] sources(JobDescriptor descriptor) {
        List<Class<?>> configurations = JobCatalog.configurations(descriptor.name());
        if (configurations.isEmpty()) {
            return ALL_JOBS;
        }
        List<Class<?>> sources = new ArrayList<>();
        sources.add(JobLaunchConfiguration.class);
        sources.addAll(configurations);
        return sources.toArray(Class<?>[]::new);
    }

    /**
     * The {@code cruddur.*} properties there are, in canonical form: those of {@link CruddurProperties}
     * and the ones read one by one (operations settings, seed tuning, the scheduler's schedules and anything
     * under them). A new property must be added here, or the command line refuses it.
     */
    static final List<String> CRUDDUR_PROPERTIES = List.of("cruddur.aws.region", "cruddur.aws.max-attempts",
            "cruddur.dynamodb.endpoint", "cruddur.dynamodb.table-name", "cruddur.dynamodb.index-name",
            "cruddur.dynamodb.streams-endpoint", "cruddur.cognito.endpoint", "cruddur.cognito.user-pool-id",
            S3Uploads.KMS_KEY_PROPERTY,
            "cruddur.batch.stop-timeout", "cruddur.config-dir", "cruddur.metrics.file", "cruddur.progress.delay",
            "cruddur.progress.log-interval", "cruddur.progress.log-lines", "cruddur.seed.now",
            "cruddur.seed.chunk-size", "cruddur.seed.query-concurrency", Liveness.PREFIX + ".file",
            Liveness.PREFIX + ".interval", RemotePartitioning.PREFIX + ".queue", RemotePartitioning.PREFIX + ".timeout",
            RemotePartitioning.PREFIX + ".poll-interval", RemoteWorker.CONCURRENCY, Scheduler.PREFIX + ".schedules");

    /** A misspelt {@code --cruddur.*} property would be ignored silently: refuse it, naming it. */
    static void checkCruddurProperties(List<String> springArgs) {
        for (String arg : springArgs) {
            int eq = arg.indexOf('=');
            String key = arg.substring(2, eq < 0 ? arg.length() : eq);
            if (!key.toLowerCase(Locale.ROOT).startsWith("cruddur.")) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.adapt(key, '.');
            boolean known = !name.isEmpty() && CRUDDUR_PROPERTIES.stream().map(ConfigurationPropertyName::of)
                    .anyMatch(k -> k.equals(name) || k.isAncestorOf(name));
            if (!known) {
                throw new UsageException("unknown property --" + key + "; the cruddur.* properties are: "
                        + String.join(", ", CRUDDUR_PROPERTIES.subList(0, CRUDDUR_PROPERTIES.size() - 1))
                        + ", " + Scheduler.PREFIX + ".schedules[N].*");
            }
        }
    }
}
