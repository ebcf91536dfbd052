package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.schema.SchemaLoadParameters;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParametersValidator;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.batch.infrastructure.item.file.FlatFileParseException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

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
            "GSI the app reads group rows through (message_group_uuid, sk); checked to exist before writing");
    static final ParameterSpec BASE = ParameterSpec.optional(BASE_TIME, null,
            "instant that relative created_at values (+90m, -2h, +1d3h) count from; default: midnight UTC "
                    + "one day before the first start of this run, kept on restart").instant();
    static final ParameterSpec SKIP = ParameterSpec.optional(SKIP_LIMIT, "10",
            "rejected rows allowed per step before the job fails").withCheck(SeedJobs::nonNegative).nonIdentifying();
    static final ParameterSpec REJECTS = ParameterSpec.optional(REJECTS_DIR, "data/rejects",
            "folder for the rejects files").nonIdentifying();
    /**
     * Messages per chunk. Each chunk ends with a commit of the restart position (one chunk behind: the
     * writer writes behind, so a chunk's BatchWriteItem requests run while the next chunk is read): 2000
     * wrote 200k messages about 15% faster than 500 (docs/performance.md). A chunk is held in memory.
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
        List<ParameterSpec> all = new ArrayList<>(SchemaLoadParameters.DESCRIPTOR.parameters());
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
    static JobParametersValidator filesValidator(boolean users, boolean conversations, S3Inputs s3) {
        return parameters -> {
            if (users) {
                check(SeedCsv.problemWith("users", parameters.getString(USERS), s3, UserRowProcessor.REQUIRED,
                        UserRowProcessor.OPTIONAL));
            }
            if (conversations) {
                String file = parameters.getString(CONVERSATIONS);
                check(SeedCsv.problemWith("conversations", file, s3, ConversationRowProcessor.REQUIRED, List.of()));
                check(groupOfTwoPairs(file, SeedCsv.reader("conversations-pairs", file, s3,
                        ConversationRowProcessor.REQUIRED, List.of())));
            }
        };
    }

    /**
     * A group has exactly two people: a message_group_uuid given for two different pairs of handles would
     * put one pair's messages into the other's conversation. Found before anything is written.
     *
     * @return null when every given group belongs to one pair, else one line naming the group and both lines
     */
    private static String groupOfTwoPairs(String file, FlatFileItemReader<CsvLine> lines) {
        Map<String, String> pairByGroup = new HashMap<>();
        Map<String, Integer> lineByGroup = new HashMap<>();
        lines.open(new ExecutionContext());
        try {
            while (true) {
                CsvLine line;
                try {
                    line = lines.read();
                }
                catch (FlatFileParseException malformed) {
                    continue; // rejected with its line by step seed-messages
                }
                if (line == null) {
                    return null;
                }
                String group = line.get("message_group_uuid").toLowerCase(Locale.ROOT);
                String sender = line.get("sender_handle");
                String receiver = line.get("receiver_handle");
                if (group.isEmpty()) {
                    continue;
                }
                String pair = sender.compareTo(receiver) <= 0 ? sender + "\n" + receiver : receiver + "\n" + sender;
                String first = pairByGroup.putIfAbsent(group, pair);
                if (first == null) {
                    lineByGroup.put(group, line.number());
                }
                else if (!first.equals(pair)) {
                    return "conversations file " + file + " line " + line.number() + ": message_group_uuid " + group
                            + " is already the group of another pair of users (line " + lineByGroup.get(group)
                            + "); a group has exactly two people";
                }
            }
        }
        catch (Exception e) {
            return "conversations file " + file + ": " + e.getMessage();
        }
        finally {
            lines.close();
        }
    }

    /**
     * conversation-seed writes into an existing table, and the app reads group rows through the index:
     * both are checked before anything is written (ci-data-setup creates them itself).
     */
    static JobParametersValidator tableValidator(DynamoDbClient dynamoDb) {
        return parameters -> {
            String table = parameters.getString(TABLE);
            String index = parameters.getString("index");
            TableDescription description;
            try {
                description = dynamoDb.describeTable(d -> d.tableName(table)).table();
            }
            catch (ResourceNotFoundException e) {
                throw new InvalidJobParametersException("table " + table + " does not exist; create it with schema-load");
            }
            List<String> indexes = description.globalSecondaryIndexes().stream()
                    .map(GlobalSecondaryIndexDescription::indexName).toList();
            if (!indexes.contains(index)) {
                throw new InvalidJobParametersException("table " + table + " has no index " + index + " (it has "
                        + (indexes.isEmpty() ? "none" : String.join(", ", indexes)) + ")");
            }
        };
    }

    private static void check(String problem) throws InvalidJobParametersException {
        if (problem != null) {
            throw new InvalidJobParametersException(problem);
        }
    }
}
