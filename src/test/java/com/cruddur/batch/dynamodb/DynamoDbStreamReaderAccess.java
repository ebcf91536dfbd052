package com.cruddur.batch.dynamodb;

import java.util.List;

import software.amazon.awssdk.services.dynamodb.model.Shard;

/** Test access to the reader's shard ordering. */
public final class DynamoDbStreamReaderAccess {

    private DynamoDbStreamReaderAccess() {
    }

    public static List<String> order(List<Shard> shards) {
        return DynamoDbStreamReader.parentsFirst(shards).stream().map(Shard::shardId).toList();
    }
}
