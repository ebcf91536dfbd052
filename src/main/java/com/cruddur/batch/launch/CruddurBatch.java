package com.cruddur.batch.launch;

/** The {@code java -jar cruddur-batch.jar} entry point. */
public final class CruddurBatch {

    private CruddurBatch() {
    }

    public static void main(String[] args) {
        System.exit(new Launcher(System.out, System.err).run(args));
    }
}
