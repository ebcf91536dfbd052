package com.cruddur.batch.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.cruddur.batch.support.UsersDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Handle lookups on a real (H2) users table, both ways: the whole table read at once, and one query per
 * handle for a table above the preload limit. Both must give the same answers.
 */
class UserDirectoryTest {

    private static final UUID OLD = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID NEW = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    JdbcTemplate jdbc;

    @BeforeEach
    void usersTable() {
        DriverManagerDataSource dataSource = UsersDatabases.h2();
        UsersDatabases.usersTable(dataSource).ensureExists();
        jdbc = new JdbcTemplate(dataSource);
        // Two rows with one handle (the app has no unique constraint): the older is the user.
        insert(NEW, "Lena (second)", "lena", "2026-02-01T00:00:00Z");
        insert(OLD, "Lena", "lena", "2026-01-01T00:00:00Z");
        insert(UUID.randomUUID(), "Marco", "marco", "2026-01-05T00:00:00Z");
    }

    private void insert(UUID uuid, String name, String handle, String createdAt) {
        jdbc.update("insert into public.users (uuid, display_name, handle, email, cognito_user_id, created_at) "
                + "values (?, ?, ?, ?, 'MOCK', ?)", uuid, name, handle, handle + "@example.test",
                Timestamp.from(Instant.parse(createdAt)));
    }

    @ParameterizedTest(name = "preload limit {0}")
    @ValueSource(ints = { UserDirectory.PRELOAD_LIMIT, 2 })
    void findsTheOldestUserOfAHandleAndKnowsUnknownHandles(int preloadLimit) {
        UserDirectory directory = new UserDirectory(jdbc, preloadLimit);

        assertThat(directory.find("lena")).map(Participant::uuid).contains(OLD);
        assertThat(directory.find("lena")).map(Participant::displayName).contains("Lena");
        assertThat(directory.find("marco")).map(Participant::displayName).contains("Marco");
        assertThat(directory.find("nobody")).isEqualTo(Optional.empty());

        // Cached: rows changed after the first lookups do not change the answers within a run.
        jdbc.update("delete from public.users");
        assertThat(directory.find("marco")).isPresent();
        assertThat(directory.find("nobody")).isEmpty();
    }
}
