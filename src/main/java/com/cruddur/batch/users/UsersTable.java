package com.cruddur.batch.users;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Component;

/**
 * The app's {@code public.users} table. Jobs that write it call {@link #ensureExists()} first, which
 * runs {@code jobs-config/sql/users-<h2|postgresql>.sql} (the table and an index on handle) only when
 * the table is missing: an existing table, owned by the app, is left exactly as it is (not even an index
 * is added to it, as building one on a busy production table blocks the app's writes).
 */
@Component
public class UsersTable {

    public static final String TABLE = "public.users";

    private final DataSource dataSource;
    private final Environment environment;

    public UsersTable(DataSource dataSource, Environment environment) {
        this.dataSource = dataSource;
        this.environment = environment;
    }

    public void ensureExists() {
        Path ddl = Path.of(environment.getRequiredProperty("cruddur.config-dir"), "sql",
                "users-" + platform() + ".sql");
        if (!Files.isReadable(ddl)) {
            throw new IllegalStateException("users table DDL not found: " + ddl);
        }
        if (!exists()) {
            new ResourceDatabasePopulator(new FileSystemResource(ddl)).execute(dataSource);
        }
    }

    /** Whether {@code public.users} is there (under either case of name, as H2 and PostgreSQL differ). */
    public boolean exists() {
        try {
            return JdbcUtils.extractDatabaseMetaData(dataSource, metaData -> {
                for (String[] name : new String[][] { { "public", "users" }, { "PUBLIC", "USERS" } }) {
                    try (ResultSet tables = metaData.getTables(null, name[0], name[1], new String[] { "TABLE" })) {
                        if (tables.next()) {
                            return true;
                        }
                    }
                }
                return false;
            });
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read database metadata: " + e.getMessage(), e);
        }
    }

    /** {@code postgresql} or {@code h2}, from the connection's metadata. */
    public String platform() {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource,
                    metaData -> metaData.getDatabaseProductName());
            return product != null && product.toLowerCase().contains("postgres") ? "postgresql" : "h2";
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read database metadata: " + e.getMessage(), e);
        }
    }

}
