package com.cruddur.batch.replay;

import java.util.function.Supplier;

import com.cruddur.batch.dynamodb.DynamoDbStreamReader;
import com.cruddur.batch.dynamodb.DynamoDbStreamReader.ShardRecord;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/** The {@code stream} source: stream records as {@link ChangeRecord}s, restart state kept by the shard reader. */
class StreamChangeRecordReader implements ItemStreamReader<ChangeRecord> {

    private final Supplier<DynamoDbStreamReader> opener;
    private DynamoDbStreamReader shards;

    StreamChangeRecordReader(Supplier<DynamoDbStreamReader> opener) {
        this.opener = opener;
    }

    @Override
    public ChangeRecord read() {
        ShardRecord next = shards.read();
        if (next == null) {
            return null;
        }
        StreamRecord image = next.record().dynamodb();
        String source = next.shardId() + "@" + image.sequenceNumber();
        return new ChangeRecord(source, next.record().eventNameAsString(),
                image.hasKeys() ? image.keys() : null, image.hasNewImage() ? image.newImage() : null);
    }

    @Override
    public void open(ExecutionContext context) {
        shards = opener.get();
        shards.open(context);
    }

    @Override
    public void update(ExecutionContext context) {
        if (shards != null) {
            shards.update(context);
        }
    }
}
