package com.cruddur.batch.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    public GroupRowsProcessor(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
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
        List<WriteRequest> requests = new ArrayList<>();
        for (GroupRow row : List.of(
                new GroupRow(a.uuid(), sk, group.messageGroupUuid(), message, b.uuid(), b.displayName(), b.handle()),
                new GroupRow(b.uuid(), sk, group.messageGroupUuid(), message, a.uuid(), a.displayName(), a.handle()))) {
            requests.add(DynamoDbBatchItemWriter.put(row.toItem()));
            staleRows(row).forEach(key -> requests.add(DynamoDbBatchItemWriter.delete(key)));
        }
        return requests;
    }

    /** Keys of the owner's other rows of this group (consistent read of the owner's partition). */
    private List<Map<String, AttributeValue>> staleRows(GroupRow row) {
        return dynamoDb.queryPaginator(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .filterExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(row.ownerUserUuid())),
                        ":g", AttributeValue.fromS(row.messageGroupUuid().toString())))
                .projectionExpression("pk, sk"))
                .items().stream()
                .filter(item -> !item.get(MessageKeys.SK).s().equals(row.sk()))
                .toList();
    }
}
