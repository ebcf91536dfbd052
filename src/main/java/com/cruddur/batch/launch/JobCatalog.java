package com.cruddur.batch.launch;

import com.cruddur.batch.job.JobDescriptor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.cruddur.batch.aws.CognitoClientConfiguration;
import com.cruddur.batch.aws.S3InputsConfiguration;
import com.cruddur.batch.aws.S3UploadsConfiguration;
import com.cruddur.batch.aws.DynamoDbStreamsClientConfiguration;
import com.cruddur.batch.cognito.CognitoJobs;
import com.cruddur.batch.cognito.CognitoReaderConfiguration;
import com.cruddur.batch.cognito.CognitoUserExportJobConfiguration;
import com.cruddur.batch.cognito.CognitoUserSyncJobConfiguration;
import com.cruddur.batch.export.ConversationExportJobConfiguration;
import com.cruddur.batch.export.ExportJobs;
import com.cruddur.batch.export.MessageGroupExportJobConfiguration;
import com.cruddur.batch.export.TableExportJobConfiguration;
import com.cruddur.batch.export.TableImportJobConfiguration;
import com.cruddur.batch.replay.MessageGroupReplayJobConfiguration;
import com.cruddur.batch.replay.ReplayJobs;
import com.cruddur.batch.schema.DropTableJobConfiguration;
import com.cruddur.batch.schema.ListTablesJobConfiguration;
import com.cruddur.batch.schema.SchemaJobs;
import com.cruddur.batch.schema.SchemaLoadJobConfiguration;
import com.cruddur.batch.seed.CiDataSetupJobConfiguration;
import com.cruddur.batch.seed.ConversationSeedJobConfiguration;
import com.cruddur.batch.seed.SeedJobs;
import com.cruddur.batch.seed.UserSeedJobConfiguration;

/** Every job the launcher offers. A job family adds its descriptors here. */
public final class JobCatalog {

    public static final List<JobDescriptor> JOBS = Stream.of(
            SchemaJobs.DESCRIPTORS,
            SeedJobs.DESCRIPTORS,
            ExportJobs.DESCRIPTORS,
            CognitoJobs.DESCRIPTORS,
            ReplayJobs.DESCRIPTORS)
            .flatMap(List::stream)
            .collect(plusExtensions());

    /**
     * The {@code @Configuration} classes that make each job's beans (ci-data-setup reuses the steps of
     * schema-load, user-seed and conversation-seed) and the clients only some jobs use. A launch builds
     * only these and the shared infrastructure, not the other jobs' beans or clients.
     */
    static final Map<String, List<Class<?>>> CONFIGURATIONS = Map.ofEntries(
            Map.entry(SchemaJobs.SCHEMA_LOAD, List.of(SchemaLoadJobConfiguration.class)),
            Map.entry(SchemaJobs.LIST_TABLES, List.of(ListTablesJobConfiguration.class)),
            Map.entry(SchemaJobs.DROP_TABLE, List.of(DropTableJobConfiguration.class)),
            Map.entry(SeedJobs.USER_SEED, List.of(UserSeedJobConfiguration.class, S3InputsConfiguration.class,
                    S3UploadsConfiguration.class)),
            Map.entry(SeedJobs.CONVERSATION_SEED, List.of(ConversationSeedJobConfiguration.class,
                    S3InputsConfiguration.class, S3UploadsConfiguration.class)),
            Map.entry(SeedJobs.CI_DATA_SETUP, List.of(CiDataSetupJobConfiguration.class,
                    SchemaLoadJobConfiguration.class, UserSeedJobConfiguration.class,
                    ConversationSeedJobConfiguration.class, S3InputsConfiguration.class, S3UploadsConfiguration.class)),
            Map.entry(ExportJobs.TABLE_EXPORT, List.of(TableExportJobConfiguration.class)),
            Map.entry(ExportJobs.TABLE_IMPORT, List.of(TableImportJobConfiguration.class)),
            Map.entry(ExportJobs.CONVERSATION_EXPORT, List.of(ConversationExportJobConfiguration.class)),
            Map.entry(ExportJobs.MESSAGE_GROUP_EXPORT, List.of(MessageGroupExportJobConfiguration.class)),
            Map.entry(CognitoJobs.USER_EXPORT, List.of(CognitoUserExportJobConfiguration.class,
                    CognitoReaderConfiguration.class, CognitoClientConfiguration.class, S3InputsConfiguration.class,
                    S3UploadsConfiguration.class)),
            Map.entry(CognitoJobs.USER_SYNC, List.of(CognitoUserSyncJobConfiguration.class,
                    CognitoReaderConfiguration.class, CognitoClientConfiguration.class)),
            Map.entry(ReplayJobs.MESSAGE_GROUP_REPLAY, List.of(MessageGroupReplayJobConfiguration.class,
                    DynamoDbStreamsClientConfiguration.class, S3InputsConfiguration.class,
                    S3UploadsConfiguration.class)));

    private JobCatalog() {
    }

    /**
     * Jobs from other jars (and test-only jobs): a {@code META-INF/services} entry for this interface
     * adds descriptors; the job beans come from the jar's own {@code @Configuration}.
     */
    public interface Extension {
        List<JobDescriptor> descriptors();

        /** The configuration classes of one of this extension's jobs; empty: every component is scanned. */
        default List<Class<?>> configurations(String job) {
            return List.of();
        }
    }

    private static Collector<JobDescriptor, ?, List<JobDescriptor>> plusExtensions() {
        return Collectors.collectingAndThen(Collectors.toList(), jobs -> {
            ServiceLoader.load(Extension.class).forEach(extension -> jobs.addAll(extension.descriptors()));
            return List.copyOf(jobs);
        });
    }

    /**
     * The configuration classes that a launch of this job needs besides the shared infrastructure;
     * empty when not known (an extension that does not say), and then the launcher scans everything.
     */
    public static List<Class<?>> configurations(String job) {
        List<Class<?>> known = CONFIGURATIONS.get(job);
        if (known != null) {
            return known;
        }
        for (Extension extension : ServiceLoader.load(Extension.class)) {
            List<Class<?>> classes = extension.configurations(job);
            if (!classes.isEmpty()) {
                return classes;
            }
        }
        return List.of();
    }

    public static Optional<JobDescriptor> find(String name) {
        return JOBS.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
