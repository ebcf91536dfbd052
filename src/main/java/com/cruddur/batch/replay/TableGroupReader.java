package com.cruddur.batch.replay;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The {@code table} source: for each message group, its newest {@code MSG#} row (Query newest first,
 * limit 1), as a {@link ChangeRecord} of event {@link ChangeRecord#TABLE}.
 *
 * <p>Which groups: those with group rows, found by scanning the sparse GSI (small: two rows per
 * group); with {@code allGroups} also those that lost both rows, found by scanning the table's keys,
 * which reads every item. Groups are visited in UUID order and the last one done is the restart
 * position ({@code <name>.last-group}), so groups added meanwhile are not skipped on restart.
 */
public class TableGroupReader implements ItemStreamReader<ChangeRecord> {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String index;
    private final boolean allGroups;
    private final String name;

    private Iterator<String> groups;
    private String lastGroup;

    public TableGroupReader(DynamoDbClient dynamoDb, String table, String index, boolean allGroups, String name) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.index = index;
        this.allGroups = allGroups;
        this.name = name;
    }

    @Override
    public void open(ExecutionContext context) {
        lastGroup = context.getString(name + ".last-group", null);
        NavigableSet<String> all = new TreeSet<>();
        ScanRequest.Builder scan = ScanRequest.builder().tableName(table)
                .projectionExpression("pk, message_group_uuid");
        if (!allGroups) {
            scan.indexName(index);
        }
        dynamoDb.scanPaginator(scan.build()).items().forEach(item -> {
            AttributeValue group = item.get(MessageKeys.MESSAGE_GROUP_UUID);
            if (group != null) {
                all.add(group.s());
            }
            else if (MessageKeys.isMessagePk(item.get(MessageKeys.PK).s())) {
                all.add(MessageKeys.uuidOf(item.get(MessageKeys.PK).s()).toString());
            }
        });
        groups = (lastGroup == null ? all : all.tailSet(lastGroup, false)).iterator();
    }

    @Override
    public ChangeRecord read() {
        if (!groups.hasNext()) {
            return null;
        }
        String group = groups.next();
        lastGroup = group;
        String pk = MessageKeys.MESSAGE_PREFIX + group;
        QueryResponse newest = dynamoDb.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .scanIndexForward(false).limit(1).consistentRead(true));
        if (newest.items().isEmpty()) {
            return new ChangeRecord("table group " + group, ChangeRecord.TABLE,
                    Map.of(MessageKeys.PK, AttributeValue.fromS(pk), MessageKeys.SK, AttributeValue.fromS("")), null);
        }
        Map<String, AttributeValue> item = newest.items().get(0);
        return new ChangeRecord("table group " + group, ChangeRecord.TABLE,
                Map.of(MessageKeys.PK, item.get(MessageKeys.PK), MessageKeys.SK, item.get(MessageKeys.SK)), item);
    }

    @Override
    public void update(ExecutionContext context) {
        if (lastGroup != null) {
            context.putString(name + ".last-group", lastGroup);
        }
    }
}
