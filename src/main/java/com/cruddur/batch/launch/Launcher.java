package com.cruddur.batch.launch;

import com.cruddur.batch.job.UsageException;

import com.cruddur.batch.job.JobDescriptor;

import com.cruddur.batch.job.Console;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.CruddurBatchApplication;
import com.cruddur.batch.JobLaunchConfiguration;
import com.cruddur.batch.aws.CruddurProperties;
import com.cruddur.batch.partition.RemotePartitioning;
import com.cruddur.batch.partition.RemoteWorker;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The command line: {@code <job> key=value ...}, {@code list}/{@code --help}, {@code help <job>},
 * {@code executions [<job>] [last=N]}, {@code restart|stop|abandon|recover <execution-id>},
 * {@code schedule}, {@code worker}. Checks the command line before starting Spring, so mistakes cost
 * milliseconds and print one line. Arguments starting with {@code --} other than {@code --config}
 * and {@code --help} are Spring Boot properties ({@code --spring.profiles.active=prod}).
 */
public class Launcher {

    static final String CONFIG_ENV = "CRUDDUR_BATCH_CONFIG";
    static final String DEFAULT_CONFIG_DIR = "jobs-config";
    /** Below the 30 s that ECS (stopTimeout) and Kubernetes (terminationGracePeriodSeconds) allow by default. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(25);
    /** Commands that are not jobs; {@code <command> --help} prints the usage instead of running them. */
    static final List<String> OPERATIONS = List.of("recover", "restart", "stop", "abandon", "executions", "schedule",
            "worker");

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
            if (words.isEmpty() || words.get(0).equals("list") || words.get(0).equals("help") && words.size() == 1) {
                Help.printAll(console.out());
                return words.isEmpty() && !help ? ExitCodes.USAGE : ExitCodes.COMPLETED;
            }
            String command = words.get(0);
            List<String> rest = words.subList(1, words.size());
            if (command.equals("help")) {
                Help.printJob(console.out(), job(rest.get(0)));
                return ExitCodes.COMPLETED;
            }
            if (help && OPERATIONS.contains(command)) {
                Help.printAll(console.out());
                return ExitCodes.COMPLETED;
            }
            switch (command) {
                case "recover" -> {
                    long executionId = executionId(command, rest);
                    return withContext(configDir, springArgs, ALL_JOBS, context -> new ExecutionCommands(context).recover(executionId));
                }
                case "restart" -> {
                    long executionId = executionId(command, rest);
                    return withContext(configDir, springArgs, ALL_JOBS, context -> new ExecutionCommands(context).restart(executionId));
                }
                case "stop" -> {
                    long executionId = executionId(command, rest);
                    return withContext(configDir, springArgs, ALL_JOBS, context -> new ExecutionCommands(context).stop(executionId));
                }
                case "abandon" -> {
                    long executionId = executionId(command, rest);
                    return withContext(configDir, springArgs, ALL_JOBS, context -> new ExecutionCommands(context).abandon(executionId));
                }
                case "executions" -> {
                    ExecutionsArgs list = executionsArgs(rest);
                    return withContext(configDir, springArgs, ALL_JOBS,
                            context -> new ExecutionCommands(context).list(list.job(), list.last()));
                }
                case "schedule" -> {
                    if (!rest.isEmpty()) {
                        throw new UsageException("schedule: takes no arguments; the schedules are in "
                                + DEFAULT_CONFIG_DIR + "/schedules.yml (" + Scheduler.PREFIX + ".schedules)");
                    }
                    return withContext(configDir, springArgs, ALL_JOBS, context -> context.getBean(Scheduler.class).run());
                }
                case "worker" -> {
                    if (!rest.isEmpty()) {
                        throw new UsageException("worker: takes no arguments; it runs the partitions that launches "
                                + "with partitioning=remote send (" + RemotePartitioning.PREFIX + ".*, spring.rabbitmq.*)");
                    }
                    return withContext(configDir, springArgs, WorkerCommand.SOURCES, context -> WorkerCommand.run(context, console));
                }
                default -> {
                }
            }
            JobDescriptor descriptor = job(command);
            if (help) {
                Help.printJob(console.out(), descriptor);
                return ExitCodes.COMPLETED;
            }
            Map<String, String> given = descriptor.parse(rest);
            return withContext(configDir, springArgs, WorkerCommand.sources(sources(descriptor), given), context -> {
                WorkerCommand.checkLaunch(context, given);
                return runJob(context, descriptor, given);
            });
        }
        catch (UsageException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private int runJob(ConfigurableApplicationContext context, JobDescriptor descriptor, Map<String, String> given)
            throws Exception {
        JobExecution execution;
        try {
            execution = context.getBean(JobRunner.class).launch(descriptor, given);
        }
        catch (JobRunner.JobNotStartedException e) {
            console.err().println("error: " + e.getMessage());
            return ExitCodes.NOT_STARTED;
        }
        catch (InvalidJobParametersException e) {
            throw new UsageException(e.getMessage());
        }
        RunSummary.print(execution, console);
        return new ExitCodes().intValue(execution.getExitStatus().getExitCode());
    }

    private interface ContextWork {
        int apply(ConfigurableApplicationContext context) throws Exception;
    }

    /** Every job and the scheduler, by component scan: for the commands that may touch any job. */
    private static final Class<?>[] ALL_JOBS = { CruddurBatchApplication.class };

    /**
     * A job launch builds the shared infrastructure and the job's own configuration only: the other jobs'
     * configurations and clients cost most of the start-up (class loading) and are not needed.
     */
    static Class<?>[] sources(JobDescriptor descriptor) {
        List<Class<?>> configurations = JobCatalog.configurations(descriptor.name());
        if (configurations.isEmpty()) {
            return ALL_JOBS;
        }
        List<Class<?>> sources = new ArrayList<>();
        sources.add(JobLaunchConfiguration.class);
        sources.addAll(configurations);
        return sources.toArray(Class<?>[]::new);
    }

    private int withContext(String configDir, List<String> springArgs, Class<?>[] sources, ContextWork work) {
        Path config = configDirectory(configDir);
        List<String> all = new ArrayList<>(springArgs);
        all.add("--spring.config.additional-location=optional:file:" + config.toAbsolutePath() + "/");
        // Jobs find their SQL and other files under jobs-config through this property.
        all.add("--cruddur.config-dir=" + config.toAbsolutePath());
        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(sources)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .logStartupInfo(false)
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton("console", console))
                    // SIGTERM is handled by GracefulShutdown, which stops the jobs before the context closes.
                    .registerShutdownHook(false)
                    .run(all.toArray(String[]::new));
        }
        catch (RuntimeException e) {
            console.err().println("error: could not start: " + startFailure(e));
            return configurationProblem(e) ? ExitCodes.USAGE : ExitCodes.NOT_STARTED;
        }
        GracefulShutdown shutdown = GracefulShutdown.install(context.getBean(RunningJobs.class),
                context.getEnvironment().getProperty("cruddur.batch.stop-timeout", Duration.class, STOP_TIMEOUT),
                console);
        try (context) {
            return work.apply(context);
        }
        catch (UsageException e) {
            throw e;
        }
        catch (Exception e) {
            console.err().println("error: " + RunSummary.oneLine(e));
            return ExitCodes.NOT_STARTED;
        }
        finally {
            shutdown.finished();
        }
    }

    /** A mistake in the configuration the user gave (exit 2), rather than something that is down (exit 4). */
    private static boolean configurationProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof InvalidConfigurationPropertyValueException) {
                return true;
            }
        }
        return false;
    }

    /** Names the property for configuration errors; otherwise the root cause. */
    static String startFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationPropertyValueException invalid) {
                return invalid.getReason();
            }
            if (t instanceof BindException bind) {
                Throwable cause = bind.getCause();
                String detail = cause instanceof org.springframework.boot.context.properties.bind.validation.BindValidationException v
                        ? v.getValidationErrors().getAllErrors().stream()
                                .map(err -> (err instanceof org.springframework.validation.FieldError f
                                        ? bind.getName() + "." + f.getField() + "=" + f.getRejectedValue() + ": " : "")
                                        + err.getDefaultMessage())
                                .findFirst().orElse(v.getMessage())
                        : bind.getName() + ": " + RunSummary.oneLine(bind);
                return "invalid configuration " + detail;
            }
        }
        return RunSummary.oneLine(e);
    }

    /**
     * The {@code cruddur.*} properties there are, in canonical form: those of {@link CruddurProperties}
     * and the ones read one by one (operations settings, seed tuning, the scheduler's schedules and anything
     * under them). A new property must be added here, or the command line refuses it.
     */
    static final List<String> CRUDDUR_PROPERTIES = List.of("cruddur.aws.region", "cruddur.aws.max-attempts",
            "cruddur.dynamodb.endpoint", "cruddur.dynamodb.table-name", "cruddur.dynamodb.index-name",
            "cruddur.dynamodb.streams-endpoint", "cruddur.cognito.endpoint", "cruddur.cognito.user-pool-id",
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
            if (!key.toLowerCase(java.util.Locale.ROOT).startsWith("cruddur.")) {
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

    private static Path configDirectory(String option) {
        String dir = option != null ? option : System.getenv(CONFIG_ENV);
        Path path = Path.of(dir != null ? dir : DEFAULT_CONFIG_DIR);
        if (!Files.isDirectory(path)) {
            throw new UsageException("no configuration directory " + path.toAbsolutePath()
                    + ": run from the project root, or give --config=DIR (or set " + CONFIG_ENV + ")");
        }
        return path;
    }

    private static JobDescriptor job(String name) {
        return JobCatalog.find(name).orElseThrow(
                () -> new UsageException("unknown job or command '" + name + "'; 'list' shows the jobs"));
    }

    record ExecutionsArgs(String job, int last) {
    }

    /** {@code executions [<job>] [last=N]}. */
    private static ExecutionsArgs executionsArgs(List<String> rest) {
        String jobName = null;
        int last = 20;
        for (String arg : rest) {
            if (arg.startsWith("last=")) {
                String value = arg.substring("last=".length());
                if (!value.matches("[1-9]\\d{0,5}")) {
                    throw new UsageException("executions: bad value for last='" + value + "': expected a whole number above 0");
                }
                last = Integer.parseInt(value);
            }
            else if (jobName == null && !arg.contains("=")) {
                jobName = job(arg).name();
            }
            else {
                throw new UsageException("executions: expected [<job>] [last=N], got '" + arg + "'");
            }
        }
        return new ExecutionsArgs(jobName, last);
    }

    private static long executionId(String command, List<String> rest) {
        if (rest.size() != 1 || !rest.get(0).matches("\\d+")) {
            throw new UsageException(command + ": expected one execution id, e.g. '" + command + " 42'");
        }
        return Long.parseLong(rest.get(0));
    }
}
