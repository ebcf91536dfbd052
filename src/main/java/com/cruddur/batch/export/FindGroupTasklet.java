package com.cruddur.batch.export;

import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Step {@code find-group} of conversation-export. An unknown group is an error, not an empty success. A group
 * exists when it has a message row or a group row (found through the GSI); a known group with nothing in the
 * window is an empty result.
 */
class FindGroupTasklet implements Tasklet {

    private final DynamoDbClient dynamoDb;
    private final String indexName;

    FindGroupTasklet(DynamoDbClient dynamoDb, String indexName) {
        this.dynamoDb = dynamoDb;
        this.indexName = indexName;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ConversationExportParameters params = ConversationExportParameters
                .of(contribution.getStepExecution().getJobParameters());
        String table = params.table();
        UUID group = params.group();
        boolean hasMessages = dynamoDb.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.messagePk(group))))
                .limit(1)).count() > 0;
        boolean hasGroupRows = hasMessages || dynamoDb.query(q -> q.tableName(table).indexName(indexName)
                .keyConditionExpression("message_group_uuid = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS(group.toString()))).limit(1))
                .count() > 0;
        if (!hasGroupRows) {
            throw new IllegalStateException("no message group " + group + " in table " + table
                    + " (no message rows, no group rows)");
        }
        return RepeatStatus.FINISHED;
    }
}
