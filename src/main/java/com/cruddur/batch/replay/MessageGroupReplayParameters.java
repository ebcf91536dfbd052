package com.cruddur.batch.replay;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.partition.Partitioning;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The parameters of {@code message-group-replay}: names, defaults, checks and help in {@link #DESCRIPTOR}.
 *
 * @param source    file, stream or table
 * @param files     source=file: files or folders, comma-separated; else null
 * @param streamArn source=stream: the stream, or null for the table's latest
 * @param threads   partitions (files or shard lineages) replayed at once with local threads
 * @param partitioning {@link Partitioning#LOCAL} or {@link Partitioning#REMOTE} (file and stream sources)
 */
public record MessageGroupReplayParameters(String source, String files, String streamArn, String table, String index,
        boolean repair, String rejects, int skipLimit, int chunkSize, int concurrency, int threads,
        String partitioning) {

    public static final String JOB = "message-group-replay";

    static final ParameterSpec SOURCE = ParameterSpec.required("source", "file, stream or table")
            .oneOf("file", "stream", "table");
    static final ParameterSpec FILE = ParameterSpec.optional("file", null,
            "source=file: files or folders, comma-separated (JSON lines, Lambda events, incremental export; gzip or plain)")
            .requiredWhen("source", "file");
    static final ParameterSpec STREAM_ARN = ParameterSpec.optional("stream-arn", null,
            "source=stream: the stream; default the table's LatestStreamArn");
    static final ParameterSpec TABLE = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec INDEX = ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name",
            "GSI over message_group_uuid");
    static final ParameterSpec REPAIR = ParameterSpec.optional("repair", "false",
            "re-create missing group rows from message rows and the users table").bool();
    static final ParameterSpec REJECTS = ParameterSpec.optional("rejects", "message-group-replay-rejects.csv",
            "rejects file (CSV: source, line, reason, record)").nonIdentifying();
    static final ParameterSpec SKIP_LIMIT = ParameterSpec.optional("skip-limit", "100",
            "rejected records allowed before the job fails (over all partitions)").positiveInt().nonIdentifying();
    static final ParameterSpec CHUNK_SIZE = ParameterSpec.optional("chunk-size", "25000",
            "records per chunk; they collapse per group, so larger chunks mean fewer writes").positiveInt()
            .nonIdentifying();
    static final ParameterSpec CONCURRENCY = ParameterSpec.optional("concurrency", "8",
            "groups written in parallel within a chunk (per partition)").positiveInt().nonIdentifying();
    static final ParameterSpec THREADS = ParameterSpec.optional("threads", "2",
            "source=file|stream: partitions (files, shard lineages) replayed at once with partitioning=local")
            .positiveInt().nonIdentifying();

    public static final JobDescriptor DESCRIPTOR = new JobDescriptor(JOB,
            "bring GRP# rows up to each group's newest message, from stream records (files or a live stream) or the table itself",
            List.of(SOURCE, FILE, STREAM_ARN, TABLE, INDEX, REPAIR, REJECTS, SKIP_LIMIT, CHUNK_SIZE, CONCURRENCY,
                    THREADS, ProdSafety.PARAMETER, Partitioning.SPEC),
            "java -jar target/cruddur-batch.jar message-group-replay source=file file=stream-records.jsonl.gz");

    public static MessageGroupReplayParameters of(JobParameters params) {
        return new MessageGroupReplayParameters(SOURCE.valueIn(params), FILE.valueIn(params),
                STREAM_ARN.valueIn(params), TABLE.valueIn(params), INDEX.valueIn(params), REPAIR.booleanIn(params),
                REJECTS.valueIn(params), SKIP_LIMIT.intIn(params), CHUNK_SIZE.intIn(params),
                CONCURRENCY.intIn(params), THREADS.intIn(params), Partitioning.SPEC.valueIn(params));
    }

    /** source=stream: the change records come from the table's stream. */
    boolean fromStream() {
        return "stream".equalsIgnoreCase(source);
    }

    /** source=file: the change records come from {@link #files}. */
    boolean fromFiles() {
        return "file".equalsIgnoreCase(source);
    }
}
