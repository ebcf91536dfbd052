package com.cruddur.batch.export;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.cruddur.batch.dynamodb.DynamoDbQueryItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
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

    @Bean(ConversationExportParameters.JOB)
    Job conversationExportJob(JobRepository jobRepository, Step findGroupStep, Step conversationStep) {
        return new JobBuilder(ConversationExportParameters.JOB, jobRepository).start(findGroupStep)
                .next(conversationStep).build();
    }

    @Bean
    @JobParametersScope
    ConversationExportParameters conversationExportParameters() {
        return ConversationExportParameters.of(CurrentJob.parameters());
    }

    @Bean
    Step findGroupStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, @Value("${cruddur.dynamodb.index-name}") String indexName) {
        return new StepBuilder("find-group", jobRepository)
                .tasklet(new FindGroupTasklet(dynamoDb, indexName), transactionManager).build();
    }

    @Bean
    @JobScope
    Step conversationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbQueryItemReader conversationReader, LinesOutputItemWriter<MessageRow> conversationWriter,
            ConversationExportParameters conversationExportParameters) {
        return new StepBuilder("conversation", jobRepository)
                .<Map<String, AttributeValue>, MessageRow>chunk(conversationExportParameters.chunkSize())
                .transactionManager(transactionManager).reader(conversationReader).processor(MessageRow::fromItem)
                .writer(conversationWriter).build();
    }

    @Bean
    @StepScope
    DynamoDbQueryItemReader conversationReader(DynamoDbClient dynamoDb,
            ConversationExportParameters conversationExportParameters) {
        ConversationExportParameters params = conversationExportParameters;
        Instant from = params.from();
        Instant to = params.to();
        DynamoDbQueryItemReader.Builder query = DynamoDbQueryItemReader.builder().name("messages").dynamoDb(dynamoDb)
                .tableName(params.table()).keyAttributes("pk", "sk").ascending(true).pageSize(params.pageSize())
                .value(":pk", MessageKeys.messagePk(params.group()));
        // Fixed-width UTC sort keys: string order is time order, so the window is a key condition.
        // "to" is exclusive; BETWEEN is inclusive, hence one microsecond (the keys' resolution) before it.
        if (from != null && to != null) {
            query.keyCondition("pk = :pk AND sk BETWEEN :from AND :last").value(":from", MessageKeys.formatTime(from))
                    .value(":last", MessageKeys.formatTime(to.minus(1, ChronoUnit.MICROS)));
        }
        else if (from != null) {
            query.keyCondition("pk = :pk AND sk >= :from").value(":from", MessageKeys.formatTime(from));
        }
        else if (to != null) {
            query.keyCondition("pk = :pk AND sk < :to").value(":to", MessageKeys.formatTime(to));
        }
        else {
            query.keyCondition("pk = :pk");
        }
        return query.build();
    }

    @Bean
    @StepScope
    LinesOutputItemWriter<MessageRow> conversationWriter(Console console,
            ConversationExportParameters conversationExportParameters) {
        boolean json = conversationExportParameters.json();
        return new LinesOutputItemWriter<>(conversationExportParameters.output(), console,
                json ? ReadPatternFormats::messageJson : ReadPatternFormats::conversationLine,
                json ? null : ReadPatternFormats.CONVERSATION_HEADER);
    }
}
