package com.cruddur.batch.export;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.cruddur.batch.dynamodb.DynamoDbQueryItemReader;
import com.cruddur.batch.job.Console;
import com.cruddur.batch.messages.GroupRow;
import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code message-group-export} (the app's pattern B): the group rows of one user, {@code pk = GRP#<user>},
 * newest first (Query with ScanIndexForward=false), each with the other participant and the last message.
 * A handle is resolved to the user's uuid through the app's users table.
 */
@Configuration(proxyBeanMethods = false)
public class MessageGroupExportJobConfiguration {

    static final String USER_UUID = "user.uuid";

    @Bean(ExportJobs.MESSAGE_GROUP_EXPORT)
    Job messageGroupExportJob(JobRepository jobRepository, Step findUserStep, Step messageGroupsStep) {
        return new JobBuilder(ExportJobs.MESSAGE_GROUP_EXPORT, jobRepository)
                .validator(parameters -> {
                    if ((parameters.getString("handle") == null) == (parameters.getString("user") == null)) {
                        throw new InvalidJobParametersException("message-group-export: give exactly one of handle=... or user=UUID");
                    }
                })
                .start(findUserStep).next(messageGroupsStep).build();
    }

    /**
     * Resolves the user and keeps the uuid in the job's context. An unknown user is an error: a handle
     * not in users (or in it twice, as nothing makes handles unique), or a uuid that is neither in users
     * nor the owner of any group row.
     */
    @Bean
    Step findUserStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbClient dynamoDb, DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new StepBuilder("find-user", jobRepository).tasklet((contribution, chunk) -> {
            JobParameters parameters = contribution.getStepExecution().getJobParameters();
            String table = parameters.getString("table");
            String handle = parameters.getString("handle");
            UUID user;
            if (handle != null) {
                List<String> found = usersWhere(jdbc, "handle = ?", handle);
                if (found.isEmpty()) {
                    throw new IllegalStateException("no user with handle '" + handle + "' in " + UsersTable.TABLE);
                }
                if (found.size() > 1) {
                    throw new IllegalStateException("handle '" + handle + "' belongs to " + found.size() + " users in "
                            + UsersTable.TABLE + " (" + String.join(", ", found) + "); give user=UUID instead");
                }
                user = UUID.fromString(found.get(0));
            }
            else {
                user = UUID.fromString(parameters.getString("user"));
                boolean inUsers;
                try {
                    inUsers = !usersWhere(jdbc, "uuid = ?", user).isEmpty();
                }
                catch (IllegalStateException noUsersTable) {
                    // Without the app's database the group rows alone decide.
                    inUsers = false;
                }
                boolean ownsGroups = dynamoDb.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(MessageKeys.groupPk(user))))
                        .limit(1)).count() > 0;
                if (!inUsers && !ownsGroups) {
                    throw new IllegalStateException("no user " + user + ": not in " + UsersTable.TABLE
                            + " and no message groups in table " + table);
                }
            }
            contribution.getStepExecution().getJobExecution().getExecutionContext().putString(USER_UUID, user.toString());
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    private static List<String> usersWhere(JdbcTemplate jdbc, String condition, Object value) {
        try {
            return jdbc.queryForList("select cast(uuid as varchar(36)) from " + UsersTable.TABLE + " where "
                    + condition, String.class, value);
        }
        catch (DataAccessException e) {
            // No cause attached: the launcher prints the root cause's message, and this one says more.
            throw new IllegalStateException("cannot read " + UsersTable.TABLE + ": "
                    + e.getMostSpecificCause().getMessage().lines().findFirst().orElse(""));
        }
    }

    @Bean
    @JobScope
    Step messageGroupsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            DynamoDbQueryItemReader messageGroupsReader, LinesOutputItemWriter<GroupRow> messageGroupsWriter,
            @Value("#{jobParameters['chunk-size']}") int chunkSize) {
        return new StepBuilder("message-groups", jobRepository).<Map<String, AttributeValue>, GroupRow>chunk(chunkSize)
                .transactionManager(transactionManager).reader(messageGroupsReader).processor(GroupRow::fromItem)
                .writer(messageGroupsWriter).build();
    }

    @Bean
    @StepScope
    DynamoDbQueryItemReader messageGroupsReader(DynamoDbClient dynamoDb,
            @Value("#{jobParameters['table']}") String table, @Value("#{jobExecutionContext['user.uuid']}") String user,
            @Value("#{jobParameters['page-size']}") Integer pageSize) {
        return DynamoDbQueryItemReader.builder().name("groups").dynamoDb(dynamoDb).tableName(table)
                .keyAttributes("pk", "sk").keyCondition("pk = :pk")
                .value(":pk", MessageKeys.groupPk(UUID.fromString(user))).ascending(false).pageSize(pageSize).build();
    }

    @Bean
    @StepScope
    LinesOutputItemWriter<GroupRow> messageGroupsWriter(Console console, @Value("#{jobParameters['format']}") String format,
            @Value("#{jobParameters['output']}") String output) {
        boolean json = "json".equals(format);
        return new LinesOutputItemWriter<>(output, console,
                json ? ReadPatternFormats::groupJson : ReadPatternFormats::groupLine,
                json ? null : ReadPatternFormats.GROUPS_HEADER);
    }
}
