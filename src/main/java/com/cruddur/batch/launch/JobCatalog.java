package com.cruddur.batch.launch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collector;
import java.util.stream.Collectors;

import com.cruddur.batch.aws.CognitoClientConfiguration;
import com.cruddur.batch.aws.DynamoDbStreamsClientConfiguration;
import com.cruddur.batch.aws.S3ClientConfiguration;
import com.cruddur.batch.cognito.CognitoReaderConfiguration;
import com.cruddur.batch.cognito.CognitoUserExportJobConfiguration;
import com.cruddur.batch.cognito.CognitoUserExportParameters;
import com.cruddur.batch.cognito.CognitoUserSyncJobConfiguration;
import com.cruddur.batch.cognito.CognitoUserSyncParameters;
import com.cruddur.batch.export.ConversationExportJobConfiguration;
import com.cruddur.batch.export.ConversationExportParameters;
import com.cruddur.batch.export.MessageGroupExportJobConfiguration;
import com.cruddur.batch.export.MessageGroupExportParameters;
import com.cruddur.batch.export.TableExportJobConfiguration;
import com.cruddur.batch.export.TableExportParameters;
import com.cruddur.batch.export.TableImportJobConfiguration;
import com.cruddur.batch.export.TableImportParameters;
import com.cruddur.batch.job.JobDescriptor;
import com.cruddur.batch.replay.MessageGroupReplayJobConfiguration;
import com.cruddur.batch.replay.MessageGroupReplayParameters;
import com.cruddur.batch.schema.DropTableJobConfiguration;
import com.cruddur.batch.schema.DropTableParameters;
import com.cruddur.batch.schema.ListTablesJobConfiguration;
import com.cruddur.batch.schema.ListTablesParameters;
import com.cruddur.batch.schema.SchemaLoadJobConfiguration;
import com.cruddur.batch.schema.SchemaLoadParameters;
import com.cruddur.batch.seed.CiDataSetupJobConfiguration;
import com.cruddur.batch.seed.CiDataSetupParameters;
import com.cruddur.batch.seed.ConversationSeedJobConfiguration;
import com.cruddur.batch.seed.ConversationSeedParameters;
import com.cruddur.batch.seed.UserSeedJobConfiguration;
import com.cruddur.batch.seed.UserSeedParameters;

/**
 * Every job the launcher offers, in {@code --help} order: one line per job, its parameters' descriptor and
 * the {@code @Configuration} classes that make its beans (ci-data-setup reuses the steps of schema-load,
 * user-seed and conversation-seed) and the clients only some jobs use. A launch builds only these and the
 * shared infrastructure, not the other jobs' beans or clients.
 */
public final class JobCatalog {

    private record Registration(JobDescriptor descriptor, List<Class<?>> configurations) {
    }

    private static Registration job(JobDescriptor descriptor, Class<?>... configurations) {
        return new Registration(descriptor, List.of(configurations));
    }

    private static final List<Registration> REGISTRATIONS = List.of(
            job(SchemaLoadParameters.DESCRIPTOR, SchemaLoadJobConfiguration.class),
            job(ListTablesParameters.DESCRIPTOR, ListTablesJobConfiguration.class),
            job(DropTableParameters.DESCRIPTOR, DropTableJobConfiguration.class),
            job(UserSeedParameters.DESCRIPTOR, UserSeedJobConfiguration.class, S3ClientConfiguration.class),
            job(ConversationSeedParameters.DESCRIPTOR, ConversationSeedJobConfiguration.class,
                    S3ClientConfiguration.class),
            job(CiDataSetupParameters.DESCRIPTOR, CiDataSetupJobConfiguration.class,
                    SchemaLoadJobConfiguration.class, UserSeedJobConfiguration.class,
                    ConversationSeedJobConfiguration.class, S3ClientConfiguration.class),
            job(TableExportParameters.DESCRIPTOR, TableExportJobConfiguration.class, S3ClientConfiguration.class),
            job(TableImportParameters.DESCRIPTOR, TableImportJobConfiguration.class, S3ClientConfiguration.class),
            job(ConversationExportParameters.DESCRIPTOR, ConversationExportJobConfiguration.class),
            job(MessageGroupExportParameters.DESCRIPTOR, MessageGroupExportJobConfiguration.class),
            job(CognitoUserExportParameters.DESCRIPTOR, CognitoUserExportJobConfiguration.class,
                    CognitoReaderConfiguration.class, CognitoClientConfiguration.class, S3ClientConfiguration.class),
            job(CognitoUserSyncParameters.DESCRIPTOR, CognitoUserSyncJobConfiguration.class,
                    CognitoReaderConfiguration.class, CognitoClientConfiguration.class),
            job(MessageGroupReplayParameters.DESCRIPTOR, MessageGroupReplayJobConfiguration.class,
                    DynamoDbStreamsClientConfiguration.class, S3ClientConfiguration.class));

    public static final List<JobDescriptor> JOBS = REGISTRATIONS.stream().map(Registration::descriptor)
            .collect(plusExtensions());

    /** The configuration classes of each job, by job name. */
    static final Map<String, List<Class<?>>> CONFIGURATIONS = REGISTRATIONS.stream()
            .collect(Collectors.toUnmodifiableMap(r -> r.descriptor().name(), Registration::configurations));

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
