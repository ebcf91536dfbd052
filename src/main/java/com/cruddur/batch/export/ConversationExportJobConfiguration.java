package com.cruddur.batch.export;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.dynamodb.DynamoDbQueryItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code conversation-export} (the app's pattern A): the message rows of one group, {@code pk = MSG#<group>},
 * by a paging Query in sort-key (= time) order, oldest first, optionally within [from, to). Unlike the
 * script it replaces, the window is explicit: nothing is limited to the current year.
 */
@Configuration(proxyBeanMethods = false)
public class ConversationExportJobConfiguration {

    @Bean(ExportJobs.CONVERSATION_EXPORT)
    Job conversationExportJob(JobRepository jobRepository, Step findGroupStep, Step conversationStep) {
        return new JobBuilder(ExportJobs.CONVERSATION_EXPORT, jobRepository).start(findGroupStep)
                .next(conversationStep).build();
    }

    /**
     * An unknown group is an error, not an empty success. A group exists when it has a message row or a
     * group row (found through the GSI); a known group with nothing in the window is an empty result.
     */
    @Bean
    Step findGroupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, @Value("${cruddur.dynamodb.index-name}") String indexName) {
        return new StepBuilder("find-group", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters parameters = contribution.getStepExecution().getJobParameters();
            String table = parameters.getString("table");
            UUID group = UUID.fromString(parameters.getString("group"));
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
        }, transactionManager).build();
    }

    @Bean
    @JobScope
    Step conversationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbQueryItemReader conversationReader, LinesOutputItemWriter<MessageRow> conversationWriter,
            @Value("#{jobParameters['chunk-size']}") int chunkSize) {
        return new StepBuilder("conversation", jobRepository).<Map<String, AttributeValue>, MessageRow>chunk(chunkSize)
                .transactionManager(transactionManager).reader(conversationReader).processor(MessageRow::fromItem)
                .writer(conversationWriter).build();
    }

    @Bean
    @StepScope
    DynamoDbQueryItemReader conversationReader(DynamoDbClient dynamoDb,
            @Value("#{jobParameters['table']}") String table, @Value("#{jobParameters['group']}") String group,
            @Value("#{jobParameters['from']}") String from, @Value("#{jobParameters['to']}") String to,
            @Value("#{jobParameters['page-size']}") Integer pageSize) {
        DynamoDbQueryItemReader.Builder query = DynamoDbQueryItemReader.builder().name("messages").dynamoDb(dynamoDb)
                .tableName(table).keyAttributes("pk", "sk").ascending(true).pageSize(pageSize)
                .value(":pk", MessageKeys.messagePk(UUID.fromString(group)));
        // Fixed-width UTC sort keys: string order is time order, so the window is a key condition.
        // "to" is exclusive; BETWEEN is inclusive, hence one microsecond (the keys' resolution) before it.
        if (from != null && to != null) {
            query.keyCondition("pk = :pk AND sk BETWEEN :from AND :last").value(":from", sk(from))
                    .value(":last", sk(Instant.parse(to).minus(1, ChronoUnit.MICROS).toString()));
        }
        else if (from != null) {
            query.keyCondition("pk = :pk AND sk >= :from").value(":from", sk(from));
        }
        else if (to != null) {
            query.keyCondition("pk = :pk AND sk < :to").value(":to", sk(to));
        }
        else {
            query.keyCondition("pk = :pk");
        }
        return query.build();
    }

    private static String sk(String instant) {
        return MessageKeys.formatTime(Instant.parse(instant));
    }

    @Bean
    @StepScope
    LinesOutputItemWriter<MessageRow> conversationWriter(Console console,
            @Value("#{jobParameters['format']}") String format, @Value("#{jobParameters['output']}") String output) {
        boolean json = "json".equals(format);
        return new LinesOutputItemWriter<>(output, console,
                json ? ReadPatternFormats::messageJson : ReadPatternFormats::conversationLine,
                json ? null : ReadPatternFormats.CONVERSATION_HEADER);
    }
}
