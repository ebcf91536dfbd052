package com.cruddur.batch.dynamodb;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemStreamSupport;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Reads the items of a paged DynamoDB operation (Scan or Query) through the SDK's paginator and keeps
 * its place in the step's ExecutionContext, so that a restarted step continues after the last
 * committed item instead of reading everything again.
 * <p>
 * The place saved by {@link #update} is the primary key (plus index key, when reading an index) of the
 * last item handed out. Spring Batch calls {@code update} after the chunk holding that item was
 * written and before the chunk's transaction commits, so the saved key is always that of the last
 * committed item. DynamoDB accepts any item's key as {@code ExclusiveStartKey} (a LastEvaluatedKey is
 * just such a key), so a restart continues at the very next item, even when a chunk ended in the middle
 * of a page. The key is kept as DynamoDB JSON text, not as a Java-serialised object.
 */
public abstract class DynamoDbPagingItemReader extends ItemStreamSupport
        implements ItemStreamReader<Map<String, AttributeValue>> {

    static final String POSITION = "last-key";
    static final String READ_COUNT = "read.count";
    static final String EXHAUSTED = "exhausted";

    protected final DynamoDbClient dynamoDb;
    protected final String tableName;
    /** The index being read, or null for the table itself: its keys are part of a position. */
    protected final String indexName;
    private List<String> keyAttributes;

    private Iterator<Map<String, AttributeValue>> items;
    private Map<String, AttributeValue> lastKey;
    /** The last item handed out; its key becomes {@link #lastKey} only when {@link #update} needs it. */
    private Map<String, AttributeValue> lastItem;
    private long readCount;
    private boolean exhausted;

    protected DynamoDbPagingItemReader(DynamoDbClient dynamoDb, String tableName, String indexName,
            List<String> keyAttributes) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.indexName = indexName;
        this.keyAttributes = keyAttributes;
    }

    /** The items of every page from {@code exclusiveStartKey} (null: from the start), lazily fetched. */
    protected abstract SdkIterable<Map<String, AttributeValue>> items(Map<String, AttributeValue> exclusiveStartKey);

    @Override
    public void open(ExecutionContext context) throws ItemStreamException {
        String saved = context.getString(getExecutionContextKey(POSITION), null);
        lastKey = saved == null ? null : DynamoDbJson.fromJson(saved);
        lastItem = null;
        readCount = context.getLong(getExecutionContextKey(READ_COUNT), 0L);
        exhausted = Boolean.parseBoolean(context.getString(getExecutionContextKey(EXHAUSTED), "false"));
        items = null;
        if (keyAttributes == null) {
            keyAttributes = keyAttributesOf(dynamoDb.describeTable(r -> r.tableName(tableName)).table(), indexName);
        }
    }

    @Override
    public Map<String, AttributeValue> read() {
        if (exhausted) {
            return null;
        }
        if (items == null) {
            items = items(currentKey()).iterator();
        }
        if (!items.hasNext()) {
            exhausted = true;
            return null;
        }
        // The key is taken once per commit in update(), not for every item: a chunk of 500 would
        // otherwise build 499 key maps nobody reads.
        Map<String, AttributeValue> item = items.next();
        lastItem = item;
        readCount++;
        return item;
    }

    @Override
    public void update(ExecutionContext context) throws ItemStreamException {
        currentKey();
        if (lastKey != null) {
            context.putString(getExecutionContextKey(POSITION), DynamoDbJson.toJson(lastKey));
        }
        context.putLong(getExecutionContextKey(READ_COUNT), readCount);
        context.putString(getExecutionContextKey(EXHAUSTED), Boolean.toString(exhausted));
    }

    @Override
    public void close() throws ItemStreamException {
        items = null;
    }

    /** Items read so far, over all runs of this step (restarts included). */
    public long getReadCount() {
        return readCount;
    }

    /** The key to continue after: that of the last item read, else the one restored on open. */
    private Map<String, AttributeValue> currentKey() {
        if (lastItem != null) {
            lastKey = keyOf(lastItem);
            lastItem = null;
        }
        return lastKey;
    }

    private Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            if (value == null) {
                throw new IllegalStateException("item without key attribute " + name + " in " + tableName);
            }
            key.put(name, value);
        }
        return key;
    }

    /** The table's key attributes, then the index's (an index's LastEvaluatedKey holds both). */
    static List<String> keyAttributesOf(TableDescription table, String indexName) {
        List<String> names = new ArrayList<>(table.keySchema().stream().map(KeySchemaElement::attributeName).toList());
        if (indexName != null) {
            List<KeySchemaElement> indexKeys = table.globalSecondaryIndexes().stream()
                    .filter(i -> i.indexName().equals(indexName)).map(GlobalSecondaryIndexDescription::keySchema)
                    .findFirst()
                    .or(() -> table.localSecondaryIndexes().stream().filter(i -> i.indexName().equals(indexName))
                            .map(LocalSecondaryIndexDescription::keySchema).findFirst())
                    .orElseThrow(() -> new IllegalStateException("table " + table.tableName() + " has no index " + indexName));
            indexKeys.stream().map(KeySchemaElement::attributeName).filter(n -> !names.contains(n)).forEach(names::add);
        }
        return names;
    }
}
