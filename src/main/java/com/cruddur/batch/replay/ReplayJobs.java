package com.cruddur.batch.replay;

import java.util.List;

import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.job.ParameterSpec;
import com.cruddur.batch.job.ProdSafety;

/** Command-line description of message-group-replay. */
public final class ReplayJobs {

    public static final String MESSAGE_GROUP_REPLAY = "message-group-replay";

    public static final List<JobDescriptor> DESCRIPTORS = List.of(
            new JobDescriptor(MESSAGE_GROUP_REPLAY,
                    "bring GRP# rows up to each group's newest message, from stream records (files or a live stream) or the table itself",
                    List.of(ParameterSpec.required("source", "file, stream or table").oneOf("file", "stream", "table"),
                            ParameterSpec.optional("file", null,
                                    "source=file: files or folders, comma-separated (JSON lines, Lambda events, incremental export; gzip or plain)")
                                    .requiredWhen("source", "file"),
                            ParameterSpec.optional("stream-arn", null,
                                    "source=stream: the stream; default the table's LatestStreamArn"),
                            ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name", "DynamoDB table name").tableName(),
                            ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name", "GSI over message_group_uuid"),
                            ParameterSpec.optional("repair", "false",
                                    "re-create missing group rows from message rows and the users table").bool(),
                            ParameterSpec.optional("rejects", "message-group-replay-rejects.csv",
                                    "rejects file (CSV: source, line, reason, record)").nonIdentifying(),
                            ParameterSpec.optional("skip-limit", "100", "rejected records allowed before the job fails")
                                    .positiveInt().nonIdentifying(),
                            ParameterSpec.optional("chunk-size", "10000",
                                    "records per chunk; they collapse per group, so larger chunks mean fewer writes")
                                    .positiveInt().nonIdentifying(),
                            ParameterSpec.optional("concurrency", "8", "groups written in parallel within a chunk")
                                    .positiveInt().nonIdentifying(),
                            ProdSafety.PARAMETER),
                    "java -jar target/cruddur-batch.jar message-group-replay source=file file=stream-records.jsonl.gz"));

    private ReplayJobs() {
    }
}
