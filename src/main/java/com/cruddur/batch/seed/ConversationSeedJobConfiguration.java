package com.cruddur.batch.seed;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.dynamodb.CheckpointBehindReader;
import com.cruddur.batch.dynamodb.DynamoDbBatchItemWriter;
import com.cruddur.batch.input.InputGuard;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.GroupRowStore;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.messages.MessageRow;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
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
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code conversation-seed}, two chunk steps:
 * <ol>
 * <li>{@code seed-messages}: conversations CSV -> checked message rows -> BatchWriteItem;</li>
 * <li>{@code seed-group-rows}: the distinct groups of the same CSV -> for each, the newest message in the
 * table -> the group's two rows: with BatchWriteItem for owners who have no group row yet, else placed by
 * {@link GroupRowStore} (conditional put, then conditional delete of older rows); either way two groups of one
 * user ending at the same instant both stay, one 1 microsecond later ({@link GroupRowsWriter}). Group
 * rows are written after all messages, so they always end at the newest one, and a restart in either step
 * gives the same result.</li>
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
public class ConversationSeedJobConfiguration {

    /**
     * The "now" the default base time is computed from: empty for the system clock; an ISO instant makes a
     * run reproducible (and lets tests show that a restart keeps the first start's base time).
     */
    static final String CLOCK = "${cruddur.seed.now:}";

    /** The conversations reader's name: the prefix of its keys in the step's ExecutionContext. */
    static final String CONVERSATIONS_READER = "conversations-csv";

    /**
     * Each group costs a query (its newest message) and then a read per owner and a write: the group-rows
     * step runs a chunk's in parallel. Step seed-messages uses them for its look-ahead group queries. Not a bean: an Executor bean would replace Spring Boot's
     * applicationTaskExecutor for everyone. Daemon threads, idle between runs, end with the process.
     */
    private final ThreadPoolTaskExecutor seedGroupRowsExecutor;

    ConversationSeedJobConfiguration(@Value("${cruddur.seed.query-concurrency:8}") int queryConcurrency) {
        seedGroupRowsExecutor = new ThreadPoolTaskExecutor();
        seedGroupRowsExecutor.setCorePoolSize(queryConcurrency);
        seedGroupRowsExecutor.setMaxPoolSize(queryConcurrency);
        seedGroupRowsExecutor.setThreadNamePrefix("seed-group-rows-");
        seedGroupRowsExecutor.setDaemon(true);
        seedGroupRowsExecutor.initialize();
    }

    static Instant now(String clock) {
        return clock == null || clock.isBlank() ? Instant.now() : Instant.parse(clock);
    }

    @Bean(ConversationSeedParameters.JOB)
    Job conversationSeedJob(JobRepository jobRepository, Step seedMessagesStep, Step seedGroupRowsStep,
            AwsEndpoints endpoints, Environment environment, DynamoDbClient dynamoDb,
            InputGuard conversationSeedInputs, S3Inputs s3Inputs) {
        // The table check asks DynamoDB, so it comes after the refusal of a non-local endpoint.
        return new JobBuilder(ConversationSeedParameters.JOB, jobRepository)
                .validator(ProdSafety.both(SeedChecks.filesValidator(false, true, s3Inputs), ProdSafety.both(
                        ProdSafety.dynamoDbWrites(ConversationSeedParameters.JOB,
                                params -> "write into " + ConversationSeedParameters.of(params).table(), endpoints,
                                environment),
                        SeedChecks.tableValidator(dynamoDb))))
                .listener(conversationSeedInputs)
                .start(seedMessagesStep)
                .next(seedGroupRowsStep)
                .build();
    }

    /**
     * A restart resumes at a line count (seed-messages) or re-reads the file for its groups (seed-group-rows):
     * either way it must be the same file.
     */
    @Bean
    InputGuard conversationSeedInputs(JobRepository jobRepository, S3Inputs s3Inputs) {
        return InputGuard.ofFingerprints(ConversationSeedParameters.JOB, Map.of(SeedSpecs.CONVERSATIONS_FILE.name(),
                s3Inputs.input(SeedSpecs.CONVERSATIONS_FILE.name())), jobRepository);
    }

    /** Job-scoped so that the chunk size can come from the job parameters. */
    @Bean
    @JobScope
    Step seedMessagesStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FlatFileItemReader<CsvLine> conversationsReader, ConversationRowProcessor conversationRowProcessor,
            DynamoDbBatchItemWriter<MessageRow> messageRowsWriter, SeedRejectsListener conversationsRejects,
            SeedSkipPolicy conversationsSkipPolicy, SeededGroups seededGroups, Console console,
            ConversationSeedParameters conversationSeedParameters, UserDirectory seedUserDirectory,
            GroupResolver seedGroupResolver, @Value(CLOCK) String clock) {
        return new StepBuilder("seed-messages", jobRepository)
                .<CsvLine, MessageRow>chunk(conversationSeedParameters.chunkSize())
                .transactionManager(transactionManager)
                // Before the reader's: a failed put of the rejects fails the chunk before its position is saved.
                .stream(conversationsRejects)
                // The messages writer writes behind: a chunk's requests run while the next chunk is read and
                // processed, so DynamoDB is not left idle at every commit; the restart position stays one
                // chunk behind (CheckpointBehindReader) so that nothing is committed before it is written.
                .reader(new CheckpointBehindReader<>(conversationsReader, messageRowsWriter))
                .processor(conversationRowProcessor)
                .writer(messageRowsWriter)
                .faultTolerant()
                .skipPolicy(conversationsSkipPolicy)
                .skipListener(conversationsRejects)
                .listener(conversationsRejects)
                .listener(new PairGroupLookAhead(seedUserDirectory, seedGroupResolver))
                .listener(new StepExecutionListener() {
                    @Override
                    public void beforeStep(StepExecution stepExecution) {
                        // A restarted step execution starts with its predecessor's context, and so its position.
                        seededGroups.stepStarted(!stepExecution.getExecutionContext()
                                .containsKey(CONVERSATIONS_READER + ".read.count"));
                    }

                    @Override
                    public ExitStatus afterStep(StepExecution stepExecution) {
                        seededGroups.stepEnded(stepExecution.getStatus() == BatchStatus.COMPLETED);
                        console.println("  seed-messages: relative created_at counted from base-time "
                                + SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository, now(clock)));
                        return null;
                    }
                })
                .build();
    }

    @Bean
    Step seedGroupRowsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            SeededGroupsReader seededGroupsReader, GroupRowsProcessor groupRowsProcessor,
            GroupRowsWriter groupRowsWriter) {
        return new StepBuilder("seed-group-rows", jobRepository)
                .<GroupSeed, List<GroupRow>>chunk(500)
                .transactionManager(transactionManager)
                .taskExecutor(seedGroupRowsExecutor)
                .reader(seededGroupsReader)
                .processor(groupRowsProcessor)
                .writer(groupRowsWriter)
                .stream(groupRowsWriter)
                .listener(groupRowsWriter)
                .build();
    }

    @Bean
    @JobParametersScope
    ConversationSeedParameters conversationSeedParameters() {
        return ConversationSeedParameters.of(CurrentJob.parameters());
    }

    @Bean
    @StepScope
    FlatFileItemReader<CsvLine> conversationsReader(ConversationSeedParameters conversationSeedParameters,
            S3Inputs s3Inputs) {
        return SeedCsv.reader(CONVERSATIONS_READER, conversationSeedParameters.conversations(), s3Inputs,
                ConversationRowProcessor.REQUIRED, List.of());
    }

    /**
     * Handle -> user and pair -> group, shared by both steps of one run: the group-rows step then neither
     * reads the users table nor asks DynamoDB for each pair's group again, and it sees the very groups the
     * messages were written under. A restart in a new process fills them afresh, with the same answers.
     */
    @Bean
    @JobScope
    UserDirectory seedUserDirectory(DataSource dataSource) {
        return new UserDirectory(new JdbcTemplate(dataSource));
    }

    @Bean
    @JobScope
    SeededGroups seededGroups() {
        return new SeededGroups();
    }

    @Bean
    @JobScope
    GroupResolver seedGroupResolver(DynamoDbClient dynamoDb, ConversationSeedParameters conversationSeedParameters) {
        // The look-ahead queries of seed-messages run on the group-rows threads, idle until the next step.
        return new GroupResolver(dynamoDb, conversationSeedParameters.table(), seedGroupRowsExecutor);
    }

    /** The base time is fixed (or read back) when the step first needs it, before anything is written. */
    @Bean
    @StepScope
    ConversationRowProcessor conversationRowProcessor(@Value("#{stepExecution}") StepExecution stepExecution,
            UserDirectory seedUserDirectory, GroupResolver seedGroupResolver, SeededGroups seededGroups,
            JobRepository jobRepository, @Value(CLOCK) String clock) {
        return new ConversationRowProcessor(seedUserDirectory, seedGroupResolver,
                SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository, now(clock)), seededGroups);
    }

    @Bean
    @StepScope
    DynamoDbBatchItemWriter<MessageRow> messageRowsWriter(DynamoDbClient dynamoDb,
            ConversationSeedParameters conversationSeedParameters) {
        return DynamoDbBatchItemWriter.<MessageRow>builder().client(dynamoDb)
                .tableName(conversationSeedParameters.table()).keyAttributes(MessageKeys.PK, MessageKeys.SK)
                .itemMapper(MessageRow::toItem).concurrency(conversationSeedParameters.concurrency())
                .writeBehind(true).build();
    }

    @Bean
    @StepScope
    SeedRejectsListener conversationsRejects(ConversationSeedParameters conversationSeedParameters,
            Console console, S3Inputs s3Inputs, S3Uploads s3Uploads) {
        return new SeedRejectsListener(conversationSeedParameters.conversations(),
                conversationSeedParameters.rejectsDir(), console, s3Inputs, s3Uploads, true);
    }

    @Bean
    @StepScope
    SeedSkipPolicy conversationsSkipPolicy(ConversationSeedParameters conversationSeedParameters) {
        return new SeedSkipPolicy(conversationSeedParameters.skipLimit(), conversationSeedParameters.conversations());
    }

    @Bean
    @StepScope
    SeededGroupsReader seededGroupsReader(ConversationSeedParameters conversationSeedParameters,
            @Value("#{stepExecution}") StepExecution stepExecution, UserDirectory seedUserDirectory,
            GroupResolver seedGroupResolver, SeededGroups seededGroups, JobRepository jobRepository,
            @Value(CLOCK) String clock, S3Inputs s3Inputs) {
        return new SeededGroupsReader(conversationSeedParameters.conversations(), s3Inputs,
                new ConversationRowProcessor(seedUserDirectory, seedGroupResolver,
                        SeedTime.baseTime(stepExecution.getJobExecution(), jobRepository, now(clock))),
                seededGroups);
    }

    @Bean
    @StepScope
    GroupRowsProcessor groupRowsProcessor(DynamoDbClient dynamoDb,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        // Made on a worker thread of the multi-threaded step, which has no job scope: read from the step.
        return new GroupRowsProcessor(dynamoDb,
                ConversationSeedParameters.of(stepExecution.getJobParameters()).table());
    }

    @Bean
    @StepScope
    GroupRowsWriter groupRowsWriter(DynamoDbClient dynamoDb, ConversationSeedParameters conversationSeedParameters,
            DynamoDbBatchItemWriter<GroupRow> newOwnersGroupRowsWriter, Console console) {
        return new GroupRowsWriter(dynamoDb, conversationSeedParameters.table(), newOwnersGroupRowsWriter,
                seedGroupRowsExecutor, console);
    }

    /** The rows of owners who have no group row yet, as placed in memory: BatchWriteItem, written before it returns. */
    @Bean
    @StepScope
    DynamoDbBatchItemWriter<GroupRow> newOwnersGroupRowsWriter(DynamoDbClient dynamoDb,
            ConversationSeedParameters conversationSeedParameters) {
        return DynamoDbBatchItemWriter.<GroupRow>builder().client(dynamoDb)
                .tableName(conversationSeedParameters.table()).keyAttributes(MessageKeys.PK, MessageKeys.SK)
                .itemMapper(GroupRow::toItem).concurrency(conversationSeedParameters.concurrency()).build();
    }
}
