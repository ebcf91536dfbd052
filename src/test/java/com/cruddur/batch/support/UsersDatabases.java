package com.cruddur.batch.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.sql.DataSource;

import com.cruddur.batch.users.UsersTable;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Databases for tests of the users table: a fresh H2 file database, and the jobs' UsersTable on one. */
public final class UsersDatabases {

    private UsersDatabases() {
    }

    /** A new, empty H2 database in PostgreSQL mode, as the embedded default runs it. */
    public static DriverManagerDataSource h2() {
        try {
            return new DriverManagerDataSource("jdbc:h2:file:" + Files.createTempDirectory("users").resolve("db")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The users table of {@code dataSource}, with the DDL from this project's jobs-config. */
    public static UsersTable usersTable(DataSource dataSource) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("cruddur.config-dir", Path.of("jobs-config").toAbsolutePath().toString())));
        return new UsersTable(dataSource, environment);
    }
}
