package io.partnerhooks.storage;

import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.sqlite.SqliteDialect;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteApiKeysMigrationTest extends ApiKeysMigrationTest {
    @TempDir
    Path dir;

    @Override
    protected String jdbcUrl() {
        return "jdbc:sqlite:" + dir.resolve("test.db");
    }

    @Override
    protected Dialect dialect() {
        return new SqliteDialect();
    }
}
