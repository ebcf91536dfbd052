package com.cruddur.batch.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import com.cruddur.batch.support.Postgres;
import com.cruddur.batch.support.UsersDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The users DDL from jobs-config on a real PostgreSQL and on H2: created once, then left alone. */
class UsersTableTest {

    private static DriverManagerDataSource dataSource(String platform) throws Exception {
        return platform.equals("postgresql")
                ? new DriverManagerDataSource(Postgres.newDatabase("users"), "postgres", "")
                : UsersDatabases.h2();
    }

    private static Set<String> indexes(DataSource dataSource) throws Exception {
        Set<String> names = new TreeSet<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet info = connection.getMetaData().getIndexInfo(null, "public", "users", false, false)) {
            while (info.next()) {
                if (info.getString("INDEX_NAME") != null) {
                    names.add(info.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void createsTheTableWhenMissingAndKeepsExistingRows(String platform) throws Exception {
        DriverManagerDataSource dataSource = dataSource(platform);
        UsersTable users = UsersDatabases.usersTable(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        assertThat(users.platform()).isEqualTo(platform);
        assertThat(users.exists()).isFalse();
        users.ensureExists();
        assertThat(users.exists()).isTrue();
        assertThat(indexes(dataSource)).contains("users_handle_idx");
        jdbc.update("insert into public.users (display_name, handle, email, cognito_user_id) values (?, ?, ?, ?)",
                "Andrew Brown", "andrewbrown", "andrew@example.com", "MOCK");
        users.ensureExists();

        assertThat(jdbc.queryForList("select handle, cognito_user_id from public.users"))
                .containsExactly(Map.of("handle", "andrewbrown", "cognito_user_id", "MOCK"));
        assertThat(jdbc.queryForObject("select count(*) from public.users where uuid is not null and created_at is not null",
                Integer.class)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void anExistingTableIsLeftAsItIsWithoutAnIndexAdded(String platform) throws Exception {
        DriverManagerDataSource dataSource = dataSource(platform);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("create table public.users (uuid uuid primary key, display_name text not null, "
                + "handle text not null, email text not null, cognito_user_id text not null, "
                + "created_at timestamp default current_timestamp not null)");
        UsersTable users = UsersDatabases.usersTable(dataSource);

        users.ensureExists();

        assertThat(users.exists()).isTrue();
        assertThat(indexes(dataSource)).noneMatch(name -> name.contains("handle"));
    }
}
