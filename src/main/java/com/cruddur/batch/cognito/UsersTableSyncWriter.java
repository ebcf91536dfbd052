package com.cruddur.batch.cognito;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * Writes a chunk of Cognito users into {@code public.users}: a user matches the rows whose
 * {@code handle} equals its preferred_username; one matching row gets the user's sub as
 * {@code cognito_user_id} unless it has it already; with {@code upsert}, a user with no row is
 * inserted. Every user's outcome goes to the working table {@code cognito_user_sync_seen}. A chunk's
 * look-ups, updates, inserts and outcomes are one statement each, all in the chunk's transaction, so a chunk
 * is all or nothing. Each statement takes the chunk's values as one array per column ({@code unnest(?, ?)},
 * the same SQL on PostgreSQL and H2), whatever the chunk size: a {@code VALUES} list of a parameter per value
 * (6,000 for a chunk's outcomes) cost most of a chunk's time in binding and parsing (timed per statement in
 * the benchmark), and could not take more than 65,535 values.
 * <p>
 * Idempotent: a rerun, a restart, or a listing started over finds rows already right (UNCHANGED),
 * and users this instance already handled are passed over, so their first outcome is kept.
 */
class UsersTableSyncWriter implements ItemWriter<CognitoUser> {

    static final String SEEN = "cognito_user_sync_seen";

    private final NamedParameterJdbcTemplate jdbc;
    private final long jobInstanceId;
    private final boolean upsert;

    UsersTableSyncWriter(NamedParameterJdbcTemplate jdbc, long jobInstanceId, boolean upsert) {
        this.jdbc = jdbc;
        this.jobInstanceId = jobInstanceId;
        this.upsert = upsert;
    }

    private record Row(UUID uuid, String cognitoUserId) {
    }

    @Override
    public void write(Chunk<? extends CognitoUser> chunk) {
        Map<String, CognitoUser> byUsername = new LinkedHashMap<>();
        chunk.getItems().forEach(u -> byUsername.putIfAbsent(u.username(), u));
        alreadyHandled(byUsername.keySet()).forEach(byUsername::remove);
        if (byUsername.isEmpty()) {
            return;
        }
        List<CognitoUser> users = new ArrayList<>(byUsername.values());
        Set<String> handles = users.stream().filter(CognitoUser::hasPreferredUsername)
                .map(CognitoUser::preferredUsername).collect(Collectors.toSet());
        Map<String, List<Row>> rows = rowsByHandle(handles);
        Map<String, String> claimedBy = claimedHandles(handles);

        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> seen = new ArrayList<>();
        for (CognitoUser user : users) {
            SyncOutcome outcome;
            String detail = null;
            String handle = user.preferredUsername();
            List<Row> matches = handle == null ? List.of() : rows.getOrDefault(handle, List.of());
            String claimant = handle == null ? null : claimedBy.get(handle);
            if (!user.hasPreferredUsername()) {
                outcome = SyncOutcome.NO_PREFERRED_USERNAME;
            }
            else if (claimant != null && !claimant.equals(user.username())) {
                outcome = SyncOutcome.HANDLE_CLAIMED;
                detail = "also the preferred_username of " + claimant;
            }
            else if (matches.size() > 1) {
                outcome = SyncOutcome.DUPLICATE_HANDLE;
                detail = matches.size() + " rows";
            }
            else if (matches.size() == 1) {
                Row row = matches.get(0);
                if (user.sub().equals(row.cognitoUserId())) {
                    outcome = SyncOutcome.UNCHANGED;
                }
                else {
                    outcome = SyncOutcome.UPDATED;
                    detail = "was " + row.cognitoUserId();
                    updates.add(new Object[] { row.uuid(), user.sub() });
                }
            }
            else if (upsert) {
                outcome = SyncOutcome.INSERTED;
                UUID uuid = UUID.randomUUID();
                inserts.add(new Object[] { uuid, user.name() != null ? user.name() : handle, handle,
                        user.email() != null ? user.email() : "", user.sub() });
                rows.put(handle, List.of(new Row(uuid, user.sub())));
            }
            else {
                outcome = SyncOutcome.NOT_IN_TABLE;
            }
            if (outcome == SyncOutcome.UPDATED || outcome == SyncOutcome.UNCHANGED || outcome == SyncOutcome.INSERTED) {
                claimedBy.put(handle, user.username());
            }
            seen.add(new Object[] { user.username(), handle, user.sub(), outcome.name(), detail });
        }
        if (!updates.isEmpty()) {
            jdbc.update("update " + UsersTable.TABLE + " u set cognito_user_id = v.sub from unnest(:uuids, :subs) "
                    + "as v(uuid, sub) where u.uuid = v.uuid", new MapSqlParameterSource()
                    .addValue("uuids", column(updates, 0, "uuid")).addValue("subs", column(updates, 1, "varchar")));
        }
        if (!inserts.isEmpty()) {
            jdbc.update("insert into " + UsersTable.TABLE + " (uuid, display_name, handle, email, cognito_user_id) "
                    + "select * from unnest(:uuids, :names, :handles, :emails, :subs)", new MapSqlParameterSource()
                    .addValue("uuids", column(inserts, 0, "uuid")).addValue("names", column(inserts, 1, "varchar"))
                    .addValue("handles", column(inserts, 2, "varchar")).addValue("emails", column(inserts, 3, "varchar"))
                    .addValue("subs", column(inserts, 4, "varchar")));
        }
        jdbc.update("insert into " + SEEN + " (job_instance_id, username, handle, sub, outcome, detail) "
                + "select :instance, v.* from unnest(:usernames, :handles, :subs, :outcomes, :details) "
                + "as v(username, handle, sub, outcome, detail)", new MapSqlParameterSource("instance", jobInstanceId)
                .addValue("usernames", column(seen, 0, "varchar")).addValue("handles", column(seen, 1, "varchar"))
                .addValue("subs", column(seen, 2, "varchar")).addValue("outcomes", column(seen, 3, "varchar"))
                .addValue("details", column(seen, 4, "varchar")));
    }

    /** One column of the rows as an SQL array of the given element type (created on the chunk's connection). */
    private static SqlArrayValue column(List<Object[]> rows, int index, String type) {
        return new SqlArrayValue(type, rows.stream().map(row -> row[index]).toArray());
    }

    private static SqlArrayValue texts(Set<String> values) {
        return new SqlArrayValue("varchar", values.toArray());
    }

    /*
     * The look-ups join the array as a table instead of using = any(...): users.handle has no index (the app
     * owns the table), and a join lets the planner hash the list once rather than compare each row with every
     * value.
     */

    private List<String> alreadyHandled(Set<String> usernames) {
        return jdbc.queryForList("select s.username from " + SEEN + " s join unnest(:usernames) as v(u) "
                + "on s.username = v.u where s.job_instance_id = :instance",
                new MapSqlParameterSource("instance", jobInstanceId).addValue("usernames", texts(usernames)),
                String.class);
    }

    private Map<String, List<Row>> rowsByHandle(Set<String> handles) {
        Map<String, List<Row>> rows = new HashMap<>();
        if (!handles.isEmpty()) {
            jdbc.query("select u.uuid, u.handle, u.cognito_user_id from " + UsersTable.TABLE
                    + " u join unnest(:handles) as v(h) on u.handle = v.h",
                    new MapSqlParameterSource("handles", texts(handles)),
                    rs -> {
                        rows.computeIfAbsent(rs.getString("handle"), h -> new ArrayList<>())
                                .add(new Row(rs.getObject("uuid", UUID.class), rs.getString("cognito_user_id")));
                    });
        }
        return rows;
    }

    /** Handles that earlier chunks of this instance gave to a Cognito user, and to whom. */
    private Map<String, String> claimedHandles(Set<String> handles) {
        Map<String, String> claimed = new HashMap<>();
        if (!handles.isEmpty()) {
            jdbc.query("select s.handle, s.username from " + SEEN + " s join unnest(:handles) as v(h) "
                    + "on s.handle = v.h where s.job_instance_id = :instance "
                    + "and s.outcome in ('UPDATED', 'UNCHANGED', 'INSERTED')",
                    new MapSqlParameterSource("instance", jobInstanceId).addValue("handles", texts(handles)),
                    rs -> {
                        claimed.put(rs.getString("handle"), rs.getString("username"));
                    });
        }
        return claimed;
    }
}
