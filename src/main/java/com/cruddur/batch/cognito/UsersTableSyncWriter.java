package com.cruddur.batch.cognito;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 * look-ups are one statement, and its updates, inserts and outcomes one statement each, all in the chunk's
 * transaction, so a chunk is all or nothing. Each statement takes the chunk's values as one array per column ({@code unnest(?, ?)},
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
        Set<String> handles = new HashSet<>();
        for (CognitoUser user : chunk.getItems()) {
            if (byUsername.putIfAbsent(user.username(), user) == null && user.hasPreferredUsername()) {
                handles.add(user.preferredUsername());
            }
        }
        ChunkLookup lookup = lookUp(byUsername.keySet(), handles);
        lookup.handled().forEach(byUsername::remove);
        if (byUsername.isEmpty()) {
            return;
        }
        List<CognitoUser> users = new ArrayList<>(byUsername.values());
        Map<String, List<Row>> rows = lookup.rows();
        Map<String, String> claimedBy = lookup.claimedBy();

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

    /**
     * What the database knows about a chunk: the users table's rows with the chunk's handles, the handles
     * that earlier chunks of this instance gave to a Cognito user (and to whom), and the chunk's usernames
     * that this instance already handled.
     */
    private record ChunkLookup(Map<String, List<Row>> rows, Map<String, String> claimedBy, List<String> handled) {
    }

    /*
     * One statement for the three look-ups, so that a chunk costs one round trip to the database for them
     * (with its update and the outcomes, three in all). The look-ups join the arrays as tables instead of
     * using = any(...): users.handle has no index (the app owns the table), and a join lets the planner hash
     * the list once rather than compare each row with every value.
     */
    private ChunkLookup lookUp(Set<String> usernames, Set<String> handles) {
        Map<String, List<Row>> rows = new HashMap<>();
        Map<String, String> claimedBy = new HashMap<>();
        List<String> handled = new ArrayList<>();
        jdbc.query("select 'row' as kind, u.handle as k, u.uuid as uuid, u.cognito_user_id as v from "
                + UsersTable.TABLE + " u join unnest(:handles) as h(h) on u.handle = h.h "
                + "union all select 'claim', s.handle, cast(null as uuid), s.username from " + SEEN + " s "
                + "join unnest(:handles) as h(h) on s.handle = h.h where s.job_instance_id = :instance "
                + "and s.outcome in ('UPDATED', 'UNCHANGED', 'INSERTED') "
                + "union all select 'seen', s.username, cast(null as uuid), cast(null as varchar) from " + SEEN + " s "
                + "join unnest(:usernames) as n(u) on s.username = n.u where s.job_instance_id = :instance",
                new MapSqlParameterSource("instance", jobInstanceId).addValue("handles", texts(handles))
                        .addValue("usernames", texts(usernames)),
                rs -> {
                    String key = rs.getString("k");
                    switch (rs.getString("kind")) {
                        case "row" -> rows.computeIfAbsent(key, h -> new ArrayList<>())
                                .add(new Row(rs.getObject("uuid", UUID.class), rs.getString("v")));
                        case "claim" -> claimedBy.put(key, rs.getString("v"));
                        default -> handled.add(key);
                    }
                });
        return new ChunkLookup(rows, claimedBy, handled);
    }
}
