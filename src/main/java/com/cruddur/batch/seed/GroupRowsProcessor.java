package com.cruddur.batch.seed;

import java.util.List;
import java.util.Map;

import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.infrastructure.item.ItemProcessor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A group -> its two group rows, each ending at the group's newest message as the table holds it now
 * (the seed's own messages, and any the app wrote later), never a filler text. {@link GroupRowsWriter}
 * places them.
 */
public class GroupRowsProcessor implements ItemProcessor<GroupSeed, List<GroupRow>> {

    private final DynamoDbClient dynamoDb;
    private final String table;

    public GroupRowsProcessor(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    @Override
    public List<GroupRow> process(GroupSeed group) {
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
        return List.of(
                new GroupRow(a.uuid(), sk, group.messageGroupUuid(), message, b.uuid(), b.displayName(), b.handle()),
                new GroupRow(b.uuid(), sk, group.messageGroupUuid(), message, a.uuid(), a.displayName(), a.handle()));
    }
}
