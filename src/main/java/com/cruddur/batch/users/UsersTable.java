package com.cruddur.batch.users;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.springframework.core.env.Environment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Component;

/**
 * The app's {@code public.users} table. Jobs that write it call {@link #ensureExists()} first, which
 * runs {@code jobs-config/sql/users-<h2|postgresql>.sql} (CREATE TABLE IF NOT EXISTS): an existing
 * table, owned by the app, is left exactly as it is.
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
        new ResourceDatabasePopulator(new FileSystemResource(ddl)).execute(dataSource);
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
