package com.cruddur.batch.replay;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import com.cruddur.batch.aws.AwsEndpoints;
import com.cruddur.batch.aws.S3Inputs;
import com.cruddur.batch.aws.S3Uploads;
import com.cruddur.batch.dynamodb.DynamoDbStreamReader;
import com.cruddur.batch.input.InputGuard;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.job.CurrentJob;
import com.cruddur.batch.job.JobParametersScope;
import com.cruddur.batch.job.ProdSafety;
import com.cruddur.batch.users.UsersTable;
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
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@code message-group-replay}: one chunk step, change records -> group updates -> group rows. The
 * reader depends on {@code source}; the processor and the writer are the same for all three.
 */
@Configuration(proxyBeanMethods = false)
public class MessageGroupReplayJobConfiguration {

    static final String STEP = "replay-group-rows";

    @Bean(MessageGroupReplayParameters.JOB)
    Job messageGroupReplayJob(JobRepository jobRepository, Step replayGroupRowsStep, AwsEndpoints endpoints,
            Environment environment, InputGuard replayInputs, ReplayFiles replayFiles, S3Uploads s3Uploads) {
        // Every source (file, stream, table) ends in writing group rows; there is no read-only mode.
        return new JobBuilder(MessageGroupReplayParameters.JOB, jobRepository)
                .validator(ProdSafety.both(ProdSafety.dynamoDbWrites(MessageGroupReplayParameters.JOB,
                        params -> "write group rows into " + MessageGroupReplayParameters.of(params).table(),
                        endpoints, environment), new ReplayS3Validator(replayFiles, s3Uploads)))
                .listener(replayInputs)
                .start(replayGroupRowsStep).build();
    }

    @Bean
    @JobParametersScope
    MessageGroupReplayParameters messageGroupReplayParameters() {
        return MessageGroupReplayParameters.of(CurrentJob.parameters());
    }

    @Bean
    ReplayFiles replayFiles(S3Inputs s3Inputs) {
        return new ReplayFiles(s3Inputs);
    }

    /**
     * source=file restarts at a record count over its files, in order: they must be the ones the failed run
     * read (the same contents for local files, the same ETags for S3 objects and the objects under a prefix).
     */
    @Bean
    InputGuard replayInputs(JobRepository jobRepository, ReplayFiles replayFiles) {
        return InputGuard.ofFingerprints(MessageGroupReplayParameters.JOB, Map.of("file", parameters -> {
            MessageGroupReplayParameters params = MessageGroupReplayParameters.of(parameters);
            return params.fromFiles() && params.files() != null ? replayFiles.fingerprint(params.files()) : null;
        }), jobRepository);
    }

    @Bean
    @StepScope
    ReplayCounters replayCounters() {
        return new ReplayCounters();
    }

    /** Job-scoped so that chunk size and skip limit come from the job parameters. */
    @Bean
    @JobScope
    Step replayGroupRowsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReplaySourceReader replayReader, ReplayCounters replayCounters,
            GroupRowReplayWriter groupRowReplayWriter, ReplayRejectsListener replayRejectsFile,
            ReplaySummary replaySummary, MessageGroupReplayParameters messageGroupReplayParameters) {
        return new StepBuilder(STEP, jobRepository)
                .<ChangeRecord, GroupUpdate>chunk(messageGroupReplayParameters.chunkSize())
                .transactionManager(transactionManager)
                .reader(replayReader)
                .processor(new ChangeRecordProcessor(replayCounters))
                .writer(groupRowReplayWriter)
                .stream(replayCounters)
                .listener(replayCounters)
                .stream(replayRejectsFile)
                .faultTolerant()
                .skip(RejectedRecordException.class)
                .skipLimit(messageGroupReplayParameters.skipLimit())
                .skipListener(replayRejectsFile)
                .listener(replaySummary)
                .build();
    }

    @Bean
    @StepScope
    ReplaySourceReader replayReader(MessageGroupReplayParameters messageGroupReplayParameters,
            DynamoDbClient dynamoDb, ObjectProvider<DynamoDbStreamsClient> streams, ReplayFiles replayFiles) {
        MessageGroupReplayParameters params = messageGroupReplayParameters;
        return new ReplaySourceReader(switch (params.source().toLowerCase(Locale.ROOT)) {
            // Files and the stream are looked up when the step opens its reader, so that a missing one
            // fails the step with its own message.
            case "file" -> new ChangeRecordFileReader(() -> replayFiles.resolve(params.files()));
            case "stream" -> new StreamChangeRecordReader(() -> new DynamoDbStreamReader(streams.getObject(),
                    params.streamArn() != null ? params.streamArn() : latestStreamArn(dynamoDb, params.table()),
                    "stream"));
            case "table" -> new TableGroupReader(dynamoDb, params.table(), params.index(), params.repair(), "table");
            default -> throw new IllegalArgumentException("unknown source " + params.source());
        });
    }

    @Bean
    @StepScope
    GroupRowReplayWriter groupRowReplayWriter(DynamoDbClient dynamoDb, ReplayCounters replayCounters,
            Console console, UsersTable usersTable, DataSource dataSource,
            MessageGroupReplayParameters messageGroupReplayParameters) {
        MessageGroupReplayParameters params = messageGroupReplayParameters;
        GroupRepair groupRepair = null;
        if (params.repair()) {
            usersTable.ensureExists();
            groupRepair = new GroupRepair(dynamoDb, params.table(), new JdbcTemplate(dataSource));
        }
        return new GroupRowReplayWriter(dynamoDb, params.table(), params.index(), replayCounters, groupRepair, console,
                params.concurrency());
    }

    @Bean
    @StepScope
    ReplayRejectsListener replayRejectsFile(MessageGroupReplayParameters messageGroupReplayParameters,
            ReplayCounters replayCounters, S3Inputs s3Inputs, S3Uploads s3Uploads) {
        String rejects = messageGroupReplayParameters.rejects();
        if (S3Uploads.isS3(rejects)) {
            return new ReplayRejectsListener(rejects, replayCounters, s3Inputs, s3Uploads);
        }
        return new ReplayRejectsListener(Path.of(rejects), replayCounters);
    }

    @Bean
    @StepScope
    ReplaySummary replaySummary(ReplayCounters replayCounters, ReplayRejectsListener replayRejectsFile, Console console) {
        return new ReplaySummary(replayCounters, replayRejectsFile, console);
    }

    static String latestStreamArn(DynamoDbClient dynamoDb, String table) {
        String arn = dynamoDb.describeTable(d -> d.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("table " + table + " has no stream; give stream-arn=...");
        }
        return arn;
    }

    /** Prints what the replay did after the step, from the counters (which survive restarts). */
    static class ReplaySummary implements StepExecutionListener {

        private final ReplayCounters counters;
        private final ReplayRejectsListener rejects;
        private final Console console;

        ReplaySummary(ReplayCounters counters, ReplayRejectsListener rejects, Console console) {
            this.counters = counters;
            this.rejects = rejects;
            this.console = console;
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            ExecutionContext context = stepExecution.getExecutionContext();
            counters.update(context);
            console.out().printf(Locale.ROOT, "group updates %d: rows moved forward %d, already current %d, leftover rows deleted %d%n",
                    counters.get(ReplayCounters.GROUP_UPDATES), counters.get(ReplayCounters.ROWS_MOVED),
                    counters.get(ReplayCounters.ROWS_CURRENT), counters.get(ReplayCounters.LEFTOVERS_DELETED));
            console.out().printf(Locale.ROOT, "ignored: %d REMOVE, %d GRP# records, %d other keys, %d groups without messages%n",
                    counters.get(ReplayCounters.IGNORED_REMOVE), counters.get(ReplayCounters.IGNORED_GROUP_ROW),
                    counters.get(ReplayCounters.IGNORED_OTHER), counters.get(ReplayCounters.GROUPS_WITHOUT_MESSAGES));
            console.out().printf(Locale.ROOT, "groups missing rows %d, rows re-created %d, not repairable %d, key collisions %d (rows placed 1 microsecond later)%n",
                    counters.get(ReplayCounters.GROUPS_MISSING_ROWS), counters.get(ReplayCounters.ROWS_REPAIRED),
                    counters.get(ReplayCounters.GROUPS_UNREPAIRABLE), counters.get(ReplayCounters.KEY_COLLISIONS));
            long rejected = counters.get(ReplayCounters.REJECTED);
            // Uploaded now for an S3 location, also when the step failed.
            String notPublished = rejects.publish();
            if (notPublished != null) {
                console.out().printf(Locale.ROOT, "rejected %d; %s%n", rejected, notPublished);
                stepExecution.setStatus(BatchStatus.FAILED);
                stepExecution.addFailureException(new IllegalStateException(notPublished));
                return ExitStatus.FAILED;
            }
            console.out().printf(Locale.ROOT, "rejected %d%s%n", rejected, rejected == 0 ? "" : " (see " + rejects.location() + ")");
            return null;
        }
    }
}
