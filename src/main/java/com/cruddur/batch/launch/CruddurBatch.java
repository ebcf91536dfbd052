package com.cruddur.batch.launch;

/** The {@code java -jar cruddur-batch.jar} entry point. */
public final class CruddurBatch {

    /** Commons Logging's own setting for the factory it uses (read once, on first use). */
    static final String LOG_FACTORY_PROPERTY = "org.apache.commons.logging.LogFactory";

    private CruddurBatch() {
    }

    public static void main(String[] args) {
        namedLogFactory();
        System.exit(new Launcher(System.out, System.err).run(args));
    }

    static void namedLogFactory() {
        // Spring logs through Commons Logging, which otherwise looks for a factory on every start: a
        // ServiceLoader scan of the classpath and probes for Log4j before it settles on SLF4J (Logback).
        // Naming the one it settles on skips the search; a -D on the command line still wins.
        if (System.getProperty(LOG_FACTORY_PROPERTY) == null) {
            System.setProperty(LOG_FACTORY_PROPERTY, "org.apache.commons.logging.impl.Slf4jLogFactory");
        }
    }
}
