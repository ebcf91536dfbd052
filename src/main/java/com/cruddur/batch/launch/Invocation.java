package com.cruddur.batch.launch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.UsageException;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.validation.FieldError;

/**
 * One command line, as a {@link Command} gets it: its command word, the words after it, the console,
 * and the means to start Spring with the user's configuration directory and {@code --} properties.
 */
public final class Invocation {

    static final String CONFIG_ENV = "CRUDDUR_BATCH_CONFIG";
    public static final String DEFAULT_CONFIG_DIR = "jobs-config";

    private final String word;
    private final List<String> args;
    private final Console console;
    private final String configDir;
    private final List<String> springArgs;

    Invocation(String word, List<String> args, Console console, String configDir, List<String> springArgs) {
        this.word = word;
        this.args = List.copyOf(args);
        this.console = console;
        this.configDir = configDir;
        this.springArgs = List.copyOf(springArgs);
    }

    /** The command word (for a job launch, the job's name). */
    public String word() {
        return word;
    }

    /** The words after the command word. */
    public List<String> args() {
        return args;
    }

    public Console console() {
        return console;
    }

    /** What a command does once Spring is up. */
    @FunctionalInterface
    public interface Work {
        int apply(ConfigurableApplicationContext context) throws Exception;
    }

    /** {@link #inContext(Class[], Work)} with every job: for the commands that may touch any job. */
    public int inContext(Work work) {
        return inContext(Launcher.ALL_JOBS, work);
    }

    /**
     * Starts Spring from {@code sources}, does the work under the SIGTERM handling and closes the context.
     * A start failure is exit 2 when the configuration is wrong, else 4; an exception from the work is one
     * line and exit 4, except {@link UsageException} and a refused job parameter (exit 2).
     */
    public int inContext(Class<?>[] sources, Work work) {
        Path config = configDirectory();
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
                GracefulShutdown.timeout(context.getEnvironment()), console);
        try (context) {
            return work.apply(context);
        }
        catch (UsageException e) {
            throw e;
        }
        catch (InvalidJobParametersException e) {
            // A job's validator or restart check refused the parameters: a mistake in what the user gave.
            throw new UsageException(e.getMessage());
        }
        catch (Exception e) {
            console.err().println("error: " + RunSummary.oneLine(e));
            return ExitCodes.NOT_STARTED;
        }
        finally {
            shutdown.finished();
        }
    }

    private Path configDirectory() {
        String dir = configDir != null ? configDir : System.getenv(CONFIG_ENV);
        Path path = Path.of(dir != null ? dir : DEFAULT_CONFIG_DIR);
        if (!Files.isDirectory(path)) {
            throw new UsageException("no configuration directory " + path.toAbsolutePath()
                    + ": run from the project root, or give --config=DIR (or set " + CONFIG_ENV + ")");
        }
        return path;
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
                String detail = bind.getCause() instanceof BindValidationException v
                        ? v.getValidationErrors().getAllErrors().stream()
                                .map(err -> (err instanceof FieldError f
                                        ? bind.getName() + "." + f.getField() + "=" + f.getRejectedValue() + ": " : "")
                                        + err.getDefaultMessage())
                                .findFirst().orElse(v.getMessage())
                        : bind.getName() + ": " + RunSummary.oneLine(bind);
                return "invalid configuration " + detail;
            }
        }
        return RunSummary.oneLine(e);
    }
}
