package com.cruddur.batch.cognito;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.cruddur.batch.users.UsersTable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What one cognito-user-sync instance did, read back from its working table: counts per outcome,
 * the Cognito users and table rows that need a person's attention, and the rows of {@code users}
 * whose handle no Cognito user has (reported, left as they are).
 */
record SyncReport(long jobInstanceId, String poolId, String mode, Map<SyncOutcome, Long> counts,
        List<String> attention, List<String> rowsWithoutCognitoUser) {

    static SyncReport load(NamedParameterJdbcTemplate jdbc, long jobInstanceId, String poolId, String mode) {
        MapSqlParameterSource instance = new MapSqlParameterSource("instance", jobInstanceId);
        Map<SyncOutcome, Long> counts = new EnumMap<>(SyncOutcome.class);
        for (SyncOutcome outcome : SyncOutcome.values()) {
            counts.put(outcome, 0L);
        }
        jdbc.query("select outcome, count(*) as n from " + UsersTableSyncWriter.SEEN
                + " where job_instance_id = :instance group by outcome", instance,
                rs -> {
                    counts.put(SyncOutcome.valueOf(rs.getString("outcome")), rs.getLong("n"));
                });
        List<String> attention = jdbc.query("select outcome, username, handle, detail from "
                + UsersTableSyncWriter.SEEN + " where job_instance_id = :instance and outcome in "
                + "('NO_PREFERRED_USERNAME', 'DUPLICATE_HANDLE', 'HANDLE_CLAIMED', 'NOT_IN_TABLE') "
                + "order by outcome, handle, username", instance,
                (rs, n) -> rs.getString("outcome") + " username=" + rs.getString("username")
                        + (rs.getString("handle") == null ? "" : " handle=" + rs.getString("handle"))
                        + (rs.getString("detail") == null ? "" : " (" + rs.getString("detail") + ")"));
        List<String> orphans = jdbc.query("select handle, cognito_user_id from " + UsersTable.TABLE
                + " u where not exists (select 1 from " + UsersTableSyncWriter.SEEN
                + " s where s.job_instance_id = :instance and s.handle = u.handle) order by handle, uuid", instance,
                (rs, n) -> "NO_COGNITO_USER handle=" + rs.getString("handle") + " cognito_user_id="
                        + rs.getString("cognito_user_id"));
        return new SyncReport(jobInstanceId, poolId, mode, counts, attention, orphans);
    }

    long count(SyncOutcome outcome) {
        return counts.get(outcome);
    }

    long cognitoUsers() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    List<String> summary() {
        long matched = count(SyncOutcome.UPDATED) + count(SyncOutcome.UNCHANGED);
        return List.of(
                "cognito users " + cognitoUsers() + " (pool " + poolId + ", mode " + mode + ")",
                "matched " + matched + ": updated " + count(SyncOutcome.UPDATED) + ", unchanged "
                        + count(SyncOutcome.UNCHANGED),
                "inserted " + count(SyncOutcome.INSERTED) + ", not in the table " + count(SyncOutcome.NOT_IN_TABLE),
                "without preferred_username " + count(SyncOutcome.NO_PREFERRED_USERNAME)
                        + ", handle matches several rows " + count(SyncOutcome.DUPLICATE_HANDLE)
                        + ", preferred_username shared with another Cognito user " + count(SyncOutcome.HANDLE_CLAIMED),
                "table rows with no Cognito user " + rowsWithoutCognitoUser.size() + " (left as they are)");
    }

    /** The summary, then one line per user or row that needs a look; owner-only, like the export. */
    void write(Path file) throws IOException {
        List<String> lines = new ArrayList<>(summary());
        lines.add("");
        lines.addAll(attention);
        lines.addAll(rowsWithoutCognitoUser);
        OwnerOnlyFiles.createEmpty(file);
        Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    void deleteWorkingRows(NamedParameterJdbcTemplate jdbc) {
        jdbc.update("delete from " + UsersTableSyncWriter.SEEN + " where job_instance_id = :instance",
                new MapSqlParameterSource("instance", jobInstanceId));
    }
}
