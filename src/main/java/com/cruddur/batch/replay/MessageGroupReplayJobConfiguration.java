package com.cruddur.batch.replay;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

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
import com.cruddur.batch.partition.Partitioning;
import com.cruddur.batch.partition.RemotePartitioning;
import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * {@code message-group-replay}: change records -> group updates -> group rows. {@code source=table} is one
 * chunk step. {@code source=file} and {@code source=stream} are partitioned steps, one partition per file or
 * per shard lineage, run by local threads or remote workers ({@code partitioning=}): the group-row writer is
 * order-safe, so partitions may run in any order and at once, and within a lineage the shards are read
 * parents first. Every partition is the same chunk step (reader by source, processor, writer), with its own
 * restart state, counters and rejects part; the manager sums and joins them ({@link ReplayPartitions}).
 */
@Configuration(proxyBeanMethods = false)
public class MessageGroupReplayJobConfiguration {

    static final String STEP = "replay-group-rows";
    static final String FILES_STEP = "replay-files";
    static final String FILE_STEP = "replay-file";
    static final String SHARDS_STEP = "replay-shards";
    static final String LINEAGE_STEP = "replay-lineage";
    /** In a partition's ExecutionContext: the file it reads (source=file). */
    static final String FILE = "file";
    /**
     * In a partition's ExecutionContext (source=stream): the stream, and its lineage (JSON of a
     * {@link DynamoDbStreamReader.Lineage}: root, member shards). In the manager's: the stream and every lineage.
     */
    static final String STREAM_ARN = "stream-arn";
    static final String LINEAGE = "lineage";
    static final String LINEAGES = "lineages";

    @Bean(MessageGroupReplayParameters.JOB)
    Job messageGroupReplayJob(JobRepository jobRepository, Step replayStep, AwsEndpoints endpoints,
            Environment environment, InputGuard replayInputs, ReplayFiles replayFiles, S3Uploads s3Uploads,
            UsersTable usersTable) {
        // Every source (file, stream, table) ends in writing group rows; there is no read-only mode.
        return new JobBuilder(MessageGroupReplayParameters.JOB, jobRepository)
                .validator(ProdSafety.both(ProdSafety.both(ProdSafety.dynamoDbWrites(MessageGroupReplayParameters.JOB,
                        params -> "write group rows into " + MessageGroupReplayParameters.of(params).table(),
                        endpoints, environment), new ReplayS3Validator(replayFiles, s3Uploads)),
                        MessageGroupReplayJobConfiguration::tableIsNotPartitioned))
                .listener(replayInputs)
                .listener(new UsersTableForRepair(usersTable))
                .start(replayStep).build();
    }

    /**
     * repair= reads the users table: it is made (when missing) once per run, in the process that runs the job, not
     * by each partition's writer: partitions on remote workers start at once, and concurrent CREATE TABLE IF NOT
     * EXISTS fails on PostgreSQL for all but one. Every source may repair.
     */
    private record UsersTableForRepair(UsersTable usersTable) implements JobExecutionListener {

        @Override
        public void beforeJob(JobExecution jobExecution) {
            if (MessageGroupReplayParameters.of(jobExecution.getJobParameters()).repair()) {
                usersTable.ensureExists();
            }
        }
    }

    private static void tableIsNotPartitioned(JobParameters parameters) throws InvalidJobParametersException {
        MessageGroupReplayParameters params = MessageGroupReplayParameters.of(parameters);
        if (Partitioning.isRemote(params.partitioning()) && !params.fromFiles() && !params.fromStream()) {
            throw new InvalidJobParametersException(Partitioning.PARAMETER + "=remote: source=" + params.source()
                    + " runs in one step, it is not partitioned (source=file and source=stream are)");
        }
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
     * source=file restarts each file's partition at a record count in it: the files must be the ones the failed
     * run read (the same contents for local files, the same ETags for S3 objects and the objects under a prefix).
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

    /**
     * Job-scoped for the source, chunk size, skip limit, threads= and partitioning=: the one step of
     * source=table, or the partitioned step of source=file (a partition per file, in reading order) and
     * source=stream (a partition per shard lineage).
     */
    @Bean
    @JobScope
    Step replayStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            MessageGroupReplayParameters messageGroupReplayParameters, ReplaySourceReader replayReader,
            ReplayCounters replayCounters, GroupRowReplayWriter groupRowReplayWriter,
            ReplayRejectsListener replayRejectsFile, Console console, ReplayFiles replayFiles,
            @Qualifier(FILE_STEP) Step replayFile, @Qualifier(LINEAGE_STEP) Step replayLineage, DynamoDbClient dynamoDb,
            ObjectProvider<DynamoDbStreamsClient> streams, S3Inputs s3Inputs, S3Uploads s3Uploads,
            ObjectProvider<RemotePartitioning> remote) {
        MessageGroupReplayParameters params = messageGroupReplayParameters;
        if (params.fromFiles()) {
            ReplayPartitions files = partitions(FILE_STEP, () -> {
                Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
                for (ReplayFile file : replayFiles.resolve(params.files())) {
                    ExecutionContext context = new ExecutionContext();
                    context.putString(FILE, file.name());
                    partitions.put(String.format(Locale.ROOT, "file-%05d", partitions.size()), context);
                }
                return partitions;
            }, params, jobRepository, s3Inputs, s3Uploads, console);
            return Partitioning.step(FILES_STEP, FILE_STEP, jobRepository, files, replayFile, params.partitioning(),
                    params.threads(), remote, files);
        }
        if (params.fromStream()) {
            ReplayPartitions lineages = partitions(LINEAGE_STEP,
                    () -> lineagePartitions(params, dynamoDb, streams.getObject(), jobRepository),
                    params, jobRepository, s3Inputs, s3Uploads, console);
            return Partitioning.step(SHARDS_STEP, LINEAGE_STEP, jobRepository, lineages, replayLineage,
                    params.partitioning(), params.threads(), remote, lineages);
        }
        return chunkStep(STEP, jobRepository, transactionManager, params, replayReader, replayCounters,
                groupRowReplayWriter, replayRejectsFile, new ReplaySummary(replayCounters, replayRejectsFile, console));
    }

    /**
     * source=stream: a partition per shard lineage, each given its stream and its lineage's members. The first run
     * resolves the stream (stream-arn=, or the table's LatestStreamArn), lists it once and keeps both in the
     * manager step's ExecutionContext; a restart (Spring calls the partitioner again) reuses them, so it reads the
     * same stream (not one made since by re-enabling it) with the same partitions, even after a root was trimmed.
     */
    private static Map<String, ExecutionContext> lineagePartitions(MessageGroupReplayParameters params,
            DynamoDbClient dynamoDb, DynamoDbStreamsClient streams, JobRepository jobRepository) {
        // The partitioner runs in the manager step, which Spring registers for its thread.
        StepExecution manager = StepSynchronizationManager.getContext().getStepExecution();
        ExecutionContext saved = manager.getExecutionContext();
        if (!saved.containsKey(STREAM_ARN)) {
            String arn = params.streamArn() != null ? params.streamArn() : latestStreamArn(dynamoDb, params.table());
            saved.putString(STREAM_ARN, arn);
            // One JSON text per line.
            saved.putString(LINEAGES, String.join("\n", DynamoDbStreamReader.lineages(streams, arn).stream()
                    .map(DynamoDbStreamReader.Lineage::toJson).toList()));
            // Saved now: a manager killed while its partitions run restarts with them too.
            jobRepository.updateExecutionContext(manager);
        }
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (String json : saved.getString(LINEAGES).lines().toList()) {
            ExecutionContext context = new ExecutionContext();
            context.putString(STREAM_ARN, saved.getString(STREAM_ARN));
            context.putString(LINEAGE, json);
            partitions.put(DynamoDbStreamReader.Lineage.fromJson(json).root(), context);
        }
        return partitions;
    }

    private static ReplayPartitions partitions(String workerStep, Supplier<Map<String, ExecutionContext>> partitions,
            MessageGroupReplayParameters params, JobRepository jobRepository, S3Inputs s3Inputs, S3Uploads s3Uploads,
            Console console) {
        return new ReplayPartitions(partitions, workerStep, jobRepository,
                new ReplayRejectsParts(params.rejects(), s3Inputs, s3Uploads), params.rejects(), params.skipLimit(),
                console);
    }

    /** One file of source=file; found by this name in worker processes, built per partition for chunk-size=. */
    @Bean(FILE_STEP)
    Step replayFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReplaySourceReader replayReader, ReplayCounters replayCounters, GroupRowReplayWriter groupRowReplayWriter,
            ReplayRejectsListener replayRejectsFile, Console console) {
        return Partitioning.workerStep(FILE_STEP, parameters -> chunkStep(FILE_STEP, jobRepository, transactionManager,
                MessageGroupReplayParameters.of(parameters), replayReader, replayCounters, groupRowReplayWriter,
                replayRejectsFile, new PartitionRejects(replayRejectsFile, console)));
    }

    /** One shard lineage of source=stream; as {@link #replayFileStep}. */
    @Bean(LINEAGE_STEP)
    Step replayLineageStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            ReplaySourceReader replayReader, ReplayCounters replayCounters, GroupRowReplayWriter groupRowReplayWriter,
            ReplayRejectsListener replayRejectsFile, Console console) {
        return Partitioning.workerStep(LINEAGE_STEP, parameters -> chunkStep(LINEAGE_STEP, jobRepository,
                transactionManager, MessageGroupReplayParameters.of(parameters), replayReader, replayCounters,
                groupRowReplayWriter, replayRejectsFile, new PartitionRejects(replayRejectsFile, console)));
    }

    /**
     * The replay's chunk step, whole (source=table) or one partition: skip-limit applies to it (and the
     * partitioned step applies it again to the total).
     */
    private static Step chunkStep(String name, JobRepository jobRepository, PlatformTransactionManager transactionManager,
            MessageGroupReplayParameters params, ReplaySourceReader replayReader, ReplayCounters replayCounters,
            GroupRowReplayWriter groupRowReplayWriter, ReplayRejectsListener replayRejectsFile,
            StepExecutionListener atEnd) {
        return new StepBuilder(name, jobRepository)
                .<ChangeRecord, GroupUpdate>chunk(params.chunkSize())
                .transactionManager(transactionManager)
                .reader(replayReader)
                .processor(new ChangeRecordProcessor(replayCounters))
                .writer(groupRowReplayWriter)
                .stream(replayCounters)
                .listener(replayCounters)
                .stream(replayRejectsFile)
                .faultTolerant()
                .skip(RejectedRecordException.class)
                .skipLimit(params.skipLimit())
                .skipListener(replayRejectsFile)
                .listener(atEnd)
                .build();
    }

    /**
     * The reader of the source. Step-scoped and given its parameters by its StepExecution: a partition runs
     * on a thread of the manager or in a worker process, where there is no job scope.
     */
    @Bean
    @StepScope
    ReplaySourceReader replayReader(@Value("#{stepExecution}") StepExecution stepExecution, DynamoDbClient dynamoDb,
            ObjectProvider<DynamoDbStreamsClient> streams, ReplayFiles replayFiles) {
        MessageGroupReplayParameters params = MessageGroupReplayParameters.of(stepExecution.getJobParameters());
        ExecutionContext partition = stepExecution.getExecutionContext();
        return new ReplaySourceReader(switch (params.source().toLowerCase(Locale.ROOT)) {
            // Files and the stream are looked up when the step opens its reader, so that a missing one
            // fails the step with its own message.
            case "file" -> new ChangeRecordFileReader(() -> List.of(replayFiles.one(partition.getString(FILE))));
            case "stream" -> new StreamChangeRecordReader(() -> new DynamoDbStreamReader(streams.getObject(),
                    partition.getString(STREAM_ARN), "stream",
                    DynamoDbStreamReader.Lineage.fromJson(partition.getString(LINEAGE))));
            case "table" -> new TableGroupReader(dynamoDb, params.table(), params.index(), params.repair(), "table");
            default -> throw new IllegalArgumentException("unknown source " + params.source());
        });
    }

    @Bean
    @StepScope
    GroupRowReplayWriter groupRowReplayWriter(DynamoDbClient dynamoDb, ReplayCounters replayCounters,
            Console console, DataSource dataSource,
            @Value("#{stepExecution}") StepExecution stepExecution) {
        MessageGroupReplayParameters params = MessageGroupReplayParameters.of(stepExecution.getJobParameters());
        GroupRepair groupRepair = null;
        if (params.repair()) {
            // The users table was made when the job started (UsersTableForRepair).
            groupRepair = new GroupRepair(dynamoDb, params.table(), new JdbcTemplate(dataSource));
        }
        return new GroupRowReplayWriter(dynamoDb, params.table(), params.index(), replayCounters, groupRepair, console,
                params.concurrency());
    }

    /** rejects=, or a partition's part of it (see {@link ReplayRejectsParts}). */
    @Bean
    @StepScope
    ReplayRejectsListener replayRejectsFile(@Value("#{stepExecution}") StepExecution stepExecution,
            ReplayCounters replayCounters, S3Inputs s3Inputs, S3Uploads s3Uploads) {
        String rejects = MessageGroupReplayParameters.of(stepExecution.getJobParameters()).rejects();
        ExecutionContext context = stepExecution.getExecutionContext();
        String partition = context.getString(ReplayPartitions.PARTITION, null);
        if (partition != null) {
            // Kept from the partition's first run: its restarts add to the same part, and the manager finds it,
            // also when a restart is given another rejects=.
            rejects = context.getString(ReplayRejectsParts.PART, ReplayRejectsParts.partLocation(rejects,
                    stepExecution.getJobExecution().getJobInstance().getInstanceId(), partition));
            context.putString(ReplayRejectsParts.PART, rejects);
        }
        if (S3Uploads.isS3(rejects)) {
            return new ReplayRejectsListener(rejects, replayCounters, s3Inputs, s3Uploads);
        }
        return new ReplayRejectsListener(Path.of(rejects), replayCounters);
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
            printCounts(counters, console);
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

        /** The first three summary lines (what the replay did), from totals. */
        static void printCounts(ReplayCounters counters, Console console) {
            console.out().printf(Locale.ROOT, "group updates %d: rows moved forward %d, already current %d, leftover rows deleted %d%n",
                    counters.get(ReplayCounters.GROUP_UPDATES), counters.get(ReplayCounters.ROWS_MOVED),
                    counters.get(ReplayCounters.ROWS_CURRENT), counters.get(ReplayCounters.LEFTOVERS_DELETED));
            console.out().printf(Locale.ROOT, "ignored: %d REMOVE, %d GRP# records, %d other keys, %d groups without messages%n",
                    counters.get(ReplayCounters.IGNORED_REMOVE), counters.get(ReplayCounters.IGNORED_GROUP_ROW),
                    counters.get(ReplayCounters.IGNORED_OTHER), counters.get(ReplayCounters.GROUPS_WITHOUT_MESSAGES));
            console.out().printf(Locale.ROOT, "groups missing rows %d, rows re-created %d, not repairable %d, key collisions %d (rows placed 1 microsecond later)%n",
                    counters.get(ReplayCounters.GROUPS_MISSING_ROWS), counters.get(ReplayCounters.ROWS_REPAIRED),
                    counters.get(ReplayCounters.GROUPS_UNREPAIRABLE), counters.get(ReplayCounters.KEY_COLLISIONS));
        }
    }

    /**
     * A partition's end: its rejects part closed, and for an S3 location put what the commits did not (also
     * when it failed; the manager joins the parts). Its counts are printed by the manager, over all partitions.
     * A part that cannot be put fails the partition with the line that names the part object and the owner-only
     * temp file keeping its records, printed by the process that ran it (each failed partition has its own
     * temp file) and made the partition's first failure, so that it is the run's {@code reason:} (a failed put
     * at a commit says only what failed, as its rows may still reach S3 when the partition ends).
     */
    static class PartitionRejects implements StepExecutionListener {

        private final ReplayRejectsListener rejects;
        private final Console console;

        PartitionRejects(ReplayRejectsListener rejects, Console console) {
            this.rejects = rejects;
            this.console = console;
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            String notPublished = rejects.publish();
            if (notPublished != null) {
                console.out().printf(Locale.ROOT, "%s: %s%n", stepExecution.getStepName(), notPublished);
                stepExecution.setStatus(BatchStatus.FAILED);
                stepExecution.getFailureExceptions().add(0, new IllegalStateException(notPublished));
                return ExitStatus.FAILED.addExitDescription(notPublished);
            }
            return null;
        }
    }
}
