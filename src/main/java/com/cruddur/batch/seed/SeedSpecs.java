package com.cruddur.batch.seed;

import com.cruddur.batch.job.ParameterSpec;

/** The parameters that the seeding jobs share (ci-data-setup takes those of user-seed and conversation-seed). */
final class SeedSpecs {

    static final ParameterSpec USERS_FILE = ParameterSpec.optional("users", "seed-csv/users.csv",
            "users CSV: handle,display_name,email[,cognito_user_id]");
    static final ParameterSpec CONVERSATIONS_FILE = ParameterSpec.optional("conversations",
            "seed-csv/conversations.csv",
            "messages CSV: message_group_uuid,sender_handle,receiver_handle,created_at,message");
    static final ParameterSpec TABLE_NAME = ParameterSpec.fromProperty("table", "cruddur.dynamodb.table-name",
            "DynamoDB table name").tableName();
    static final ParameterSpec INDEX_NAME = ParameterSpec.fromProperty("index", "cruddur.dynamodb.index-name",
            "GSI the app reads group rows through (message_group_uuid, sk); checked to exist before writing");
    static final ParameterSpec BASE = ParameterSpec.optional("base-time", null,
            "instant that relative created_at values (+90m, -2h, +1d3h) count from; default: midnight UTC "
                    + "one day before the first start of this run, kept on restart").instant();
    static final ParameterSpec SKIP = ParameterSpec.optional("skip-limit", "10",
            "rejected rows allowed per step before the job fails").withCheck(SeedChecks::nonNegative).nonIdentifying();
    static final ParameterSpec REJECTS = ParameterSpec.optional("rejects-dir", "data/rejects",
            "folder, or s3://bucket/prefix/, for the rejects files").nonIdentifying();
    /**
     * Messages per chunk. Each chunk ends with a commit of the restart position (one chunk behind: the
     * writer writes behind, so a chunk's BatchWriteItem requests run while the next chunk is read): 2000
     * wrote 200k messages about 15% faster than 500 (docs/performance.md). A chunk is held in memory.
     */
    static final ParameterSpec CHUNK = ParameterSpec.optional("chunk-size", "2000",
            "messages per commit (a chunk is held in memory)").positiveInt().nonIdentifying();
    static final ParameterSpec PARALLEL = ParameterSpec.optional("concurrency", "8",
            "BatchWriteItem requests in flight").positiveInt().nonIdentifying();

    private SeedSpecs() {
    }
}
