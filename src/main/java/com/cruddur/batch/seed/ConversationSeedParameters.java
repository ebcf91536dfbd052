package com.cruddur.batch.seed;

import java.time.Instant;
import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ProdSafety;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code conversation-seed}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param baseTime null when not given: then {@link SeedTime} fixes one on the first start
 */
public record ConversationSeedParameters(String conversations, String table, String index, Instant baseTime,
        long skipLimit, String rejectsDir, int concurrency, int chunkSize) {

    public static final String JOB = "conversation-seed";

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "write message rows and group rows from a CSV of messages; same file and parameters, same table",
            List.of(SeedSpecs.CONVERSATIONS_FILE, SeedSpecs.TABLE_NAME, SeedSpecs.INDEX_NAME, SeedSpecs.BASE,
                    SeedSpecs.SKIP, SeedSpecs.REJECTS, SeedSpecs.PARALLEL, SeedSpecs.CHUNK, ProdSafety.PARAMETER),
            "java -jar target/cruddur-batch.jar conversation-seed conversations=seed-csv/conversations.csv");

    public static ConversationSeedParameters of(JobParameters params) {
        return new ConversationSeedParameters(SeedSpecs.CONVERSATIONS_FILE.valueIn(params),
                SeedSpecs.TABLE_NAME.valueIn(params), SeedSpecs.INDEX_NAME.valueIn(params),
                SeedSpecs.BASE.instantIn(params), Long.parseLong(SeedSpecs.SKIP.valueIn(params)),
                SeedSpecs.REJECTS.valueIn(params), SeedSpecs.PARALLEL.intIn(params),
                SeedSpecs.CHUNK.intIn(params));
    }
}
