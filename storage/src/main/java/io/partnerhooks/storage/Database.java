package io.partnerhooks.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import io.partnerhooks.storage.migration.V15__One_owner_per_number;
import io.partnerhooks.storage.postgres.PostgresDialect;
import io.partnerhooks.storage.sqlite.SqliteDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Opens the configured database, brings its schema up to date, and hands out a {@link JdbcStore}. */
public final class Database {
    private Database() {}

    /** The store for a {@code jdbc:postgresql:} URL, or SQLite in {@code dataDir} when the URL is blank. */
    public static JdbcStore open(String databaseUrl, Path dataDir, SecretBox box) {
        if (databaseUrl == null || databaseUrl.isBlank()) {
            Path file = dataDir.resolve(SQLITE_FILE);
            ownerOnly(dataDir, file);
            DataDirLock lock = DataDirLock.acquire(dataDir, "start another one on it");
            try {
                JdbcStore store = open("jdbc:sqlite:" + file.toAbsolutePath(), new SqliteDialect(), box);
                store.onClose(lock);
                return store;
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }
        if (databaseUrl.startsWith("jdbc:postgresql:")) {
            return open(databaseUrl, new PostgresDialect(), box);
        }
        if (databaseUrl.startsWith("jdbc:sqlite:")) {
            return open(databaseUrl, new SqliteDialect(), box);
        }
        throw new IllegalArgumentException("DATABASE_URL must start with jdbc:postgresql: (or be empty for SQLite)");
    }

    /** The SQLite database's file name in the data directory. */
    public static final String SQLITE_FILE = "partnerhooks.db";

    /**
     * The data directory (0700) and the SQLite file (0600) are readable by their owner only: they
     * hold delivery logs, partner data and key hashes. The file is created empty with those rights
     * before SQLite opens it, because SQLite gives its WAL and shared-memory files the database
     * file's permissions; files left by an older version are narrowed the same way. On a file
     * system without POSIX permissions nothing more can be done here, and nothing fails.
     */
    static void ownerOnly(Path dataDir, Path file) {
        try {
            Files.createDirectories(dataDir);
            restrict(dataDir, "rwx------");
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Path f = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(f)) {
                    restrict(f, "rw-------");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare data directory " + dataDir, e);
        }
    }

    private static void restrict(Path p, String rights) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rights));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (see ownerOnly)
        }
    }

    public static JdbcStore open(String jdbcUrl, Dialect dialect, SecretBox box) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("partnerhooks-" + dialect.name());
        // A request waits at most this long for a connection before it is answered 503 (never a false 2xx).
        config.setConnectionTimeout(4_000);
        dialect.configure(config);
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrate(ds, dialect);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new JdbcStore(new Jdbc(ds, dialect.serializesWrites()), dialect, ds, box);
    }

    public static void migrate(DataSource ds, Dialect dialect) {
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrations())
                // migrations written once in Java for both dialects (the SQL ones are per dialect)
                .javaMigrations(new V15__One_owner_per_number())
                .loggers("slf4j")
                .load()
                .migrate();
    }
}
