package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A group -> its two group rows, each ending at the group's newest message as the table holds it now
 * (the seed's own messages, and any the app wrote later), never a filler text. A group row's {@code sk} is
 * part of its key, so an older row of the same group and owner is a different item: it is deleted, after
 * the new one is written (the writer sends a chunk's deletes after its puts).
 */
public class GroupRowsProcessor implements ItemProcessor<GroupSeed, List<WriteRequest>> {

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final String index;

    public GroupRowsProcessor(DynamoDbClient dynamoDb, String table, String index) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.index = index;
    }

    @Override
    public List<WriteRequest> process(GroupSeed group) {
        List<Map<String, AttributeValue>> newest = dynamoDb.query(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk",
                        AttributeValue.fromS(MessageKeys.messagePk(group.messageGroupUuid()))))
                .scanIndexForward(false).limit(1)).items();
        if (newest.isEmpty()) {
            return null; // no message was written for it: nothing to point at
        }
        String sk = newest.get(0).get(MessageKeys.SK).s();
        String message = newest.get(0).get(MessageKeys.MESSAGE).s();
        Participant a = group.first();
        Participant b = group.second();
        List<GroupRow> rows = List.of(
                new GroupRow(a.uuid(), sk, group.messageGroupUuid(), message, b.uuid(), b.displayName(), b.handle()),
                new GroupRow(b.uuid(), sk, group.messageGroupUuid(), message, a.uuid(), a.displayName(), a.handle()));
        List<WriteRequest> requests = new ArrayList<>();
        rows.forEach(row -> requests.add(DynamoDbBatchItemWriter.put(row.toItem())));
        staleRows(group, rows).forEach(key -> requests.add(DynamoDbBatchItemWriter.delete(key)));
        return requests;
    }

    /**
     * Keys of the two owners' other rows of this group, from the GSI (one query for both owners). The
     * index is eventually consistent: a group row written in the last moment could be missed, which
     * leaves an extra, older group row that message-group-replay removes; nothing is lost.
     */
    private List<Map<String, AttributeValue>> staleRows(GroupSeed group, List<GroupRow> rows) {
        Set<String> owners = Set.of(MessageKeys.groupPk(group.first().uuid()), MessageKeys.groupPk(group.second().uuid()));
        String sk = rows.get(0).sk();
        return dynamoDb.queryPaginator(r -> r.tableName(table).indexName(index)
                .keyConditionExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(group.messageGroupUuid().toString()))))
                .items().stream()
                .filter(item -> owners.contains(item.get(MessageKeys.PK).s()) && !item.get(MessageKeys.SK).s().equals(sk))
                .map(item -> Map.of(MessageKeys.PK, item.get(MessageKeys.PK), MessageKeys.SK, item.get(MessageKeys.SK)))
                .toList();
    }
}
