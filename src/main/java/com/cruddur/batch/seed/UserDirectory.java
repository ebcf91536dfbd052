package com.cruddur.batch.seed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.cruddur.batch.users.UsersTable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Handle -> user, from the users table, one query per distinct handle (unknown handles are
 * remembered too), so a seed of a million messages among a few thousand users asks a few thousand times.
 */
public class UserDirectory {

    private final JdbcTemplate jdbc;
    private final Map<String, Optional<Participant>> byHandle = new HashMap<>();

    public UserDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public synchronized Optional<Participant> find(String handle) {
        return byHandle.computeIfAbsent(handle, this::load);
    }

    private Optional<Participant> load(String handle) {
        // No unique constraint on handle in the app's table: the oldest row is the user.
        List<Participant> found = jdbc.query("select uuid, handle, display_name from " + UsersTable.TABLE
                + " where handle = ? order by created_at, uuid", (rs, i) -> new Participant(
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)), handle);
        return found.stream().findFirst();
    }
}
