package com.cruddur.batch.seed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.cruddur.batch.launch.JobDescriptor;
import com.cruddur.batch.launch.ParameterSpec;
import com.cruddur.batch.launch.ProdSafety;
import com.cruddur.batch.schema.SchemaJobs;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/** Command-line descriptions of the seeding jobs, and the parameter names their steps read. */
public final class SeedJobs {

    public static final String USER_SEED = "user-seed";
    public static final String CONVERSATION_SEED = "conversation-seed";
    public static final String CI_DATA_SETUP = "ci-data-setup";

    public static final String USERS = "users";
    public static final String CONVERSATIONS = "conversations";
    public static final String TABLE = "table";
    public static final String BASE_TIME = "base-time";
    public static final String SKIP_LIMIT = "skip-limit";
    public static final String REJECTS_DIR = "rejects-dir";
    public static final String CONCURRENCY = "concurrency";
    public static final String CHUNK_SIZE = "chunk-size";

    static final ParameterSpec USERS_FILE = ParameterSpec.optional(USERS, "seed-csv/users.csv",
            "users CSV: handle,display_name,email[,cognito_user_id]");
    static final ParameterSpec CONVERSATIONS_FILE = ParameterSpec.optional(CONVERSATIONS,
            "seed-csv/conversations.csv",
            "messages CSV: message_group_uuid,sender_handle,receiver_handle,created_at,message");
    static final ParameterSpec TABLE_NAME = ParameterSpec.fromProperty(TABLE, "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec INDEX_NAME = ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name",
            "GSI name (message_group_uuid, sk)");
    static final ParameterSpec BASE = ParameterSpec.optional(BASE_TIME, null,
            "instant that relative created_at values (+90m, -2h, +1d3h) count from; default: midnight UTC "
                    + "one day before the first start of this run, kept on restart").instant();
    static final ParameterSpec SKIP = ParameterSpec.optional(SKIP_LIMIT, "10",
            "rejected rows allowed per step before the job fails").withCheck(SeedJobs::nonNegative).nonIdentifying();
    static final ParameterSpec REJECTS = ParameterSpec.optional(REJECTS_DIR, "data/rejects",
            "folder for the rejects files").nonIdentifying();
    /**
     * Messages per chunk. Each chunk ends with every one of its BatchWriteItem requests answered and a
     * commit of the restart position, which leaves the table idle for a moment: 2000 wrote 200k messages
     * about 15% faster than 500 (README, seeding performance). A chunk is held in memory.
     */
    static final ParameterSpec CHUNK = ParameterSpec.optional(CHUNK_SIZE, "2000",
            "messages per commit (a chunk is held in memory)").positiveInt().nonIdentifying();
    static final ParameterSpec PARALLEL = ParameterSpec.optional(CONCURRENCY, "8",
            "BatchWriteItem requests in flight").positiveInt().nonIdentifying();

    public static final List<JobDescriptor> DESCRIPTORS = List.of(
            new JobDescriptor(USER_SEED, "upsert users from a CSV into the users table by handle (creates the table if missing)",
                    List.of(USERS_FILE, SKIP, REJECTS, ProdSafety.PARAMETER),
                    "java -jar target/cruddur-batch.jar user-seed users=seed-csv/users.csv"),
            new JobDescriptor(CONVERSATION_SEED,
                    "write message rows and group rows from a CSV of messages; same file and parameters, same table",
                    List.of(CONVERSATIONS_FILE, TABLE_NAME, INDEX_NAME, BASE, SKIP, REJECTS, PARALLEL, CHUNK,
                            ProdSafety.PARAMETER),
                    "java -jar target/cruddur-batch.jar conversation-seed conversations=seed-csv/conversations.csv"),
            new JobDescriptor(CI_DATA_SETUP, "schema-load, then user-seed, then conversation-seed, as one restartable job",
                    ciParameters(), "java -jar target/cruddur-batch.jar ci-data-setup"));

    private SeedJobs() {
    }

    private static List<ParameterSpec> ciParameters() {
        List<ParameterSpec> all = new ArrayList<>(SchemaJobs.DESCRIPTORS.stream()
                .filter(j -> j.name().equals(SchemaJobs.SCHEMA_LOAD)).findFirst().orElseThrow().parameters());
        all.addAll(List.of(USERS_FILE, CONVERSATIONS_FILE, BASE, SKIP, REJECTS, PARALLEL, CHUNK, ProdSafety.PARAMETER));
        return List.copyOf(all);
    }

    private static String nonNegative(String value) {
        try {
            return Long.parseLong(value) >= 0 ? null : "expected a whole number, 0 or more";
        }
        catch (NumberFormatException e) {
            return "expected a whole number, 0 or more";
        }
    }

    /** Refuses to start when an input file is missing or its header is wrong: one line, exit 2. */
    static JobParametersValidator filesValidator(boolean users, boolean conversations) {
        return parameters -> {
            if (users) {
                check(SeedCsv.problemWith("users", Path.of(parameters.getString(USERS)), UserRowProcessor.REQUIRED,
                        UserRowProcessor.OPTIONAL));
            }
            if (conversations) {
                check(SeedCsv.problemWith("conversations", Path.of(parameters.getString(CONVERSATIONS)),
                        ConversationRowProcessor.REQUIRED, List.of()));
            }
        };
    }

    private static void check(String problem) throws InvalidJobParametersException {
        if (problem != null) {
            throw new InvalidJobParametersException(problem);
        }
    }
}
