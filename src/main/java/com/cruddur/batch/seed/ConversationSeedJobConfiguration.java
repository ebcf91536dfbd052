package com.cruddur.batch.seed;

import java.nio.file.Path;
import java.util.List;

import javax.sql.DataSource;

import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.launch.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageRow;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.file.FlatFileItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code conversation-seed}, two chunk steps:
 * <ol>
 * <li>{@code seed-messages}: conversations CSV -> checked message rows -> BatchWriteItem;</li>
 * <li>{@code seed-group-rows}: the distinct groups of the same CSV -> for each, the newest message in the
 * table -> the group's two rows. Group rows are written after all messages, so they always end at the
 * newest one, and a restart in either step gives the same result.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class ConversationSeedJobConfiguration {

    @Bean(SeedJobs.CONVERSATION_SEED)
    Job conversationSeedJob(JobRepository jobRepository, Step seedMessagesStep, Step seedGroupRowsStep) {
        return new JobBuilder(SeedJobs.CONVERSATION_SEED, jobRepository)
                .validator(SeedJobs.filesValidator(false, true))
                .start(seedMessagesStep)
                .next(seedGroupRowsStep)
                .build();
    }

    @Bean
    Step seedMessagesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FlatFileItemReader<CsvLine> conversationsReader, ConversationRowProcessor conversationRowProcessor,
            DynamoDbBatchItemWriter<MessageRow> messageRowsWriter, RejectsFile conversationsRejects,
            SeedSkipPolicy conversationsSkipPolicy, Console console,
            @Value("${cruddur.seed.chunk-size:500}") int chunkSize) {
        return new StepBuilder("seed-messages", jobRepository)
                .<CsvLine, MessageRow>chunk(chunkSize)
                .transactionManager(transactionManager)
                .reader(conversationsReader)
                .processor(conversationRowProcessor)
                .writer(messageRowsWriter)
                .faultTolerant()
                .skipPolicy(conversationsSkipPolicy)
                .skipListener(conversationsRejects)
                .listener(conversationsRejects)
                .listener(new StepExecutionListener() {
                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        console.println("  seed-messages: relative created_at counted from base-time "
                                + SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository));
                        return null;
                    }
                })
                .build();
    }

    @Bean
    Step seedGroupRowsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SeededGroupsReader seededGroupsReader, GroupRowsProcessor groupRowsProcessor,
            DynamoDbBatchItemWriter<List<GroupRow>> groupRowsWriter) {
        return new StepBuilder("seed-group-rows", jobRepository)
                .<GroupSeed, List<GroupRow>>chunk(100)
                .transactionManager(transactionManager)
                .reader(seededGroupsReader)
                .processor(groupRowsProcessor)
                .writer(groupRowsWriter)
                .build();
    }

    @Bean
    @StepScope
    FlatFileItemReader<CsvLine> conversationsReader(@Value("#{jobParameters['conversations']}") String file) {
        return SeedCsv.reader("conversations-csv", Path.of(file), ConversationRowProcessor.REQUIRED, List.of());
    }

    /** The base time is fixed (or read back) when the step first needs it, before anything is written. */
    @Bean
    @StepScope
    ConversationRowProcessor conversationRowProcessor(@Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters['table']}") String table, JobRepository jobRepository, DataSource dataSource,
            DynamoDbClient dynamoDb) {
        return new ConversationRowProcessor(new UserDirectory(new JdbcTemplate(dataSource)),
                new GroupResolver(dynamoDb, table), SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository));
    }

    @Bean
    @StepScope
    DynamoDbBatchItemWriter<MessageRow> messageRowsWriter(DynamoDbClient dynamoDb,
            @Value("#{jobParameters['table']}") String table, @Value("#{jobParameters['concurrency']}") int concurrency) {
        return DynamoDbBatchItemWriter.<MessageRow>builder().client(dynamoDb).tableName(table)
                .itemMapper(MessageRow::toItem).concurrency(concurrency).build();
    }

    @Bean
    @StepScope
    RejectsFile conversationsRejects(@Value("#{jobParameters['conversations']}") String file,
            @Value("#{jobParameters['rejects-dir']}") String directory, Console console) {
        return new RejectsFile(Path.of(file), Path.of(directory), console);
    }

    @Bean
    @StepScope
    SeedSkipPolicy conversationsSkipPolicy(@Value("#{jobParameters['skip-limit']}") long limit,
            @Value("#{jobParameters['conversations']}") String file) {
        return new SeedSkipPolicy(limit, Path.of(file));
    }

    @Bean
    @StepScope
    SeededGroupsReader seededGroupsReader(@Value("#{jobParameters['conversations']}") String file,
            @Value("#{stepExecution}") StepExecution stepExecution, @Value("#{jobParameters['table']}") String table,
            JobRepository jobRepository, DataSource dataSource, DynamoDbClient dynamoDb) {
        return new SeededGroupsReader(Path.of(file), new ConversationRowProcessor(
                new UserDirectory(new JdbcTemplate(dataSource)), new GroupResolver(dynamoDb, table),
                SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository)));
    }

    @Bean
    @StepScope
    GroupRowsProcessor groupRowsProcessor(DynamoDbClient dynamoDb, @Value("#{jobParameters['table']}") String table) {
        return new GroupRowsProcessor(dynamoDb, table);
    }

    @Bean
    @StepScope
    DynamoDbBatchItemWriter<List<GroupRow>> groupRowsWriter(DynamoDbClient dynamoDb,
            @Value("#{jobParameters['table']}") String table, @Value("#{jobParameters['concurrency']}") int concurrency) {
        return DynamoDbBatchItemWriter.<List<GroupRow>>builder().client(dynamoDb).tableName(table)
                .itemsMapper(rows -> rows.stream().map(GroupRow::toItem).toList()).concurrency(concurrency).build();
    }
}
