package com.cruddur.batch.seed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.cruddur.batch.users.UsersTable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Handle -> user, from the users table, cached. A table of up to {@link #PRELOAD_LIMIT} rows is read
 * once, in one query, on first use; a larger one is asked one query per distinct handle (unknown
 * handles are remembered too). The app's table has no index on handle, so on it every per-handle query
 * reads the whole table: a seed among 4,000 users spent most of its time there before the preload.
 */
public class UserDirectory {

    /** Up to this many users (a few MB) are read at once instead of one query per handle. */
    static final int PRELOAD_LIMIT = 200_000;

    private static final RowMapper<Participant> PARTICIPANT = (rs, i) -> new Participant(rs.getObject(1, UUID.class),
            rs.getString(2), rs.getString(3));

    private final JdbcTemplate jdbc;
    private final int preloadLimit;
    private final Map<String, Optional<Participant>> byHandle = new HashMap<>();
    private boolean started;
    /** True when every user is in {@link #byHandle}: a handle not there is unknown. */
    private boolean complete;

    public UserDirectory(JdbcTemplate jdbc) {
        this(jdbc, PRELOAD_LIMIT);
    }

    UserDirectory(JdbcTemplate jdbc, int preloadLimit) {
        this.jdbc = jdbc;
        this.preloadLimit = preloadLimit;
    }

    public synchronized Optional<Participant> find(String handle) {
        if (!started) {
            started = true;
            preloadIfSmall();
        }
        Optional<Participant> known = byHandle.get(handle);
        if (known != null) {
            return known;
        }
        Optional<Participant> found = complete ? Optional.empty() : load(handle);
        byHandle.put(handle, found);
        return found;
    }

    private void preloadIfSmall() {
        Long rows = jdbc.queryForObject("select count(*) from " + UsersTable.TABLE, Long.class);
        if (rows != null && rows <= preloadLimit) {
            // Oldest first, so that of several rows with one handle the oldest is the user (as in load).
            jdbc.query("select uuid, handle, display_name from " + UsersTable.TABLE + " order by created_at, uuid",
                    rs -> {
                        Participant user = PARTICIPANT.mapRow(rs, 0);
                        byHandle.putIfAbsent(user.handle(), Optional.of(user));
                    });
            complete = true;
        }
    }

    private Optional<Participant> load(String handle) {
        // No unique constraint on handle in the app's table: the oldest row is the user.
        List<Participant> found = jdbc.query("select uuid, handle, display_name from " + UsersTable.TABLE
                + " where handle = ? order by created_at, uuid", PARTICIPANT, handle);
        return found.stream().findFirst();
    }
}
