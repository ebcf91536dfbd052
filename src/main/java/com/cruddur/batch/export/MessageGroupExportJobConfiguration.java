package com.cruddur.batch.export;

import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.cruddur.batch.dynamodb.DynamoDbQueryItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code message-group-export} (the app's pattern B): the group rows of one user, {@code pk = GRP#<user>},
 * newest first (Query with ScanIndexForward=false), each with the other participant and the last message.
 * A handle is resolved to the user's uuid through the app's users table ({@link FindUserTasklet}).
 */
@Configuration(proxyBeanMethods = false)
public class MessageGroupExportJobConfiguration {

    @Bean(MessageGroupExportParameters.JOB)
    Job messageGroupExportJob(JobRepository jobRepository, Step findUserStep, Step messageGroupsStep) {
        return new JobBuilder(MessageGroupExportParameters.JOB, jobRepository)
                .validator(parameters -> {
                    MessageGroupExportParameters params = MessageGroupExportParameters.of(parameters);
                    if ((params.handle() == null) == (params.user() == null)) {
                        throw new InvalidJobParametersException("message-group-export: give exactly one of handle=... or user=UUID");
                    }
                })
                .start(findUserStep).next(messageGroupsStep).build();
    }

    @Bean
    @JobParametersScope
    MessageGroupExportParameters messageGroupExportParameters() {
        return MessageGroupExportParameters.of(CurrentJob.parameters());
    }

    @Bean
    Step findUserStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, DataSource dataSource) {
        return new StepBuilder("find-user", jobRepository)
                .tasklet(new FindUserTasklet(dynamoDb, new JdbcTemplate(dataSource)), transactionManager).build();
    }

    @Bean
    @JobScope
    Step messageGroupsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbQueryItemReader messageGroupsReader, LinesOutputItemWriter<GroupRow> messageGroupsWriter,
            MessageGroupExportParameters messageGroupExportParameters) {
        return new StepBuilder("message-groups", jobRepository)
                .<Map<String, AttributeValue>, GroupRow>chunk(messageGroupExportParameters.chunkSize())
                .transactionManager(transactionManager).reader(messageGroupsReader).processor(GroupRow::fromItem)
                .writer(messageGroupsWriter).build();
    }

    /** The user that step find-user resolved, from the job's context. */
    @Bean
    @StepScope
    DynamoDbQueryItemReader messageGroupsReader(DynamoDbClient dynamoDb,
            MessageGroupExportParameters messageGroupExportParameters,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        String user = stepExecution.getJobExecution().getExecutionContext().getString(FindUserTasklet.USER_UUID);
        return DynamoDbQueryItemReader.builder().name("groups").dynamoDb(dynamoDb)
                .tableName(messageGroupExportParameters.table()).keyAttributes("pk", "sk").keyCondition("pk = :pk")
                .value(":pk", MessageKeys.groupPk(UUID.fromString(user))).ascending(false)
                .pageSize(messageGroupExportParameters.pageSize()).build();
    }

    @Bean
    @StepScope
    LinesOutputItemWriter<GroupRow> messageGroupsWriter(Console console,
            MessageGroupExportParameters messageGroupExportParameters) {
        boolean json = messageGroupExportParameters.json();
        return new LinesOutputItemWriter<>(messageGroupExportParameters.output(), console,
                json ? ReadPatternFormats::groupJson : ReadPatternFormats::groupLine,
                json ? null : ReadPatternFormats.GROUPS_HEADER);
    }
}
