package com.cruddur.batch.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.cruddur.batch.support.Postgres;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The users DDL from jobs-config on a real PostgreSQL and on H2: created once, then left alone. */
class UsersTableTest {

    @ParameterizedTest
    @ValueSource(strings = { "postgresql", "h2" })
    void createsTheTableWhenMissingAndKeepsExistingRows(String platform) throws Exception {
        DriverManagerDataSource dataSource = platform.equals("postgresql")
                ? new DriverManagerDataSource(Postgres.newDatabase("users"), "postgres", "")
                : new DriverManagerDataSource("jdbc:h2:file:" + Files.createTempDirectory("users").resolve("db")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("cruddur.config-dir", Path.of("jobs-config").toAbsolutePath().toString())));
        UsersTable users = new UsersTable(dataSource, environment);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);

        assertThat(users.platform()).isEqualTo(platform);
        users.ensureExists();
        jdbc.update("insert into public.users (display_name, handle, email, cognito_user_id) values (?, ?, ?, ?)",
                "Andrew Brown", "andrewbrown", "andrew@example.com", "MOCK");
        users.ensureExists();

        assertThat(jdbc.queryForList("select handle, cognito_user_id from public.users"))
                .containsExactly(Map.of("handle", "andrewbrown", "cognito_user_id", "MOCK"));
        assertThat(jdbc.queryForObject("select count(*) from public.users where uuid is not null and created_at is not null",
                Integer.class)).isEqualTo(1);
    }
}
