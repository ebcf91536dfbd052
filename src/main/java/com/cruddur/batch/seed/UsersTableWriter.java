package com.cruddur.batch.seed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cruddur.batch.users.UsersTable;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Upserts users by handle, inside the chunk's transaction: UPDATE the rows with that handle, INSERT
 * where there were none. The app's table has no unique constraint on handle, so this cannot be an
 * ON CONFLICT; a re-run updates and never duplicates. New rows get a name-based UUID from the
 * handle, so a database seeded twice from scratch gives each user the same uuid.
 */
public class UsersTableWriter implements ItemWriter<SeedUser> {

    public static final String MOCK = "MOCK";

    private final JdbcTemplate jdbc;
    private long inserted;
    private long updated;

    public UsersTableWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public static UUID uuidFor(String handle) {
        return UUID.nameUUIDFromBytes(("cruddur-user:" + handle).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(Chunk<? extends SeedUser> chunk) {
        Map<String, SeedUser> byHandle = new LinkedHashMap<>();
        chunk.forEach(user -> byHandle.put(user.handle(), user));
        List<SeedUser> users = new ArrayList<>(byHandle.values());
        int[][] counts = jdbc.batchUpdate("update " + UsersTable.TABLE
                + " set display_name = ?, email = ?, cognito_user_id = coalesce(?, cognito_user_id) where handle = ?",
                users, users.size(), (ps, user) -> {
                    ps.setString(1, user.displayName());
                    ps.setString(2, user.email());
                    ps.setString(3, user.cognitoUserId());
                    ps.setString(4, user.handle());
                });
        List<SeedUser> missing = new ArrayList<>();
        int i = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                if (count == 0) {
                    missing.add(users.get(i));
                }
                else {
                    updated++;
                }
                i++;
            }
        }
        jdbc.batchUpdate("insert into " + UsersTable.TABLE
                + " (uuid, display_name, handle, email, cognito_user_id) values (?, ?, ?, ?, ?)",
                missing, missing.size(), (ps, user) -> {
                    ps.setObject(1, uuidFor(user.handle()));
                    ps.setString(2, user.displayName());
                    ps.setString(3, user.handle());
                    ps.setString(4, user.email());
                    ps.setString(5, user.cognitoUserId() == null ? MOCK : user.cognitoUserId());
                });
        inserted += missing.size();
    }

    public long inserted() {
        return inserted;
    }

    public long updated() {
        return updated;
    }
}
