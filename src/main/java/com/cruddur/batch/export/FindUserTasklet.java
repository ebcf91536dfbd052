package com.cruddur.batch.export;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.messages.MessageKeys;
import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Step {@code find-user} of message-group-export: resolves the user and keeps the uuid in the job's context
 * ({@link #USER_UUID}). An unknown user is an error: a handle not in users (or in it twice, as nothing makes
 * handles unique), or a uuid that is neither in users nor the owner of any group row.
 */
class FindUserTasklet implements Tasklet {

    /** The key of the resolved uuid in the job's ExecutionContext. */
    static final String USER_UUID = "user.uuid";

    private final DynamoDbClient dynamoDb;
    private final JdbcTemplate jdbc;

    FindUserTasklet(DynamoDbClient dynamoDb, JdbcTemplate jdbc) {
        this.dynamoDb = dynamoDb;
        this.jdbc = jdbc;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        MessageGroupExportParameters params = MessageGroupExportParameters
                .of(contribution.getStepExecution().getJobParameters());
        UUID user = params.handle() != null ? byHandle(params.handle()) : known(params.user(), params.table());
        contribution.getStepExecution().getJobExecution().getExecutionContext().putString(USER_UUID, user.toString());
        return RepeatStatus.FINISHED;
    }

    private UUID byHandle(String handle) {
        List<String> found = usersWhere("handle = ?", handle);
        if (found.isEmpty()) {
            throw new IllegalStateException("no user with handle '" + handle + "' in " + UsersTable.TABLE);
        }
        if (found.size() > 1) {
            throw new IllegalStateException("handle '" + handle + "' belongs to " + found.size() + " users in "
                    + UsersTable.TABLE + " (" + String.join(", ", found) + "); give user=UUID instead");
        }
        return UUID.fromString(found.get(0));
    }

    private UUID known(UUID user, String table) {
        boolean inUsers;
        try {
            inUsers = !usersWhere("uuid = ?", user).isEmpty();
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
        return user;
    }

    private List<String> usersWhere(String condition, Object value) {
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
}
