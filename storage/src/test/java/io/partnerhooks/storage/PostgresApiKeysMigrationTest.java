package io.partnerhooks.storage;

import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.postgres.PostgresDialect;
import io.partnerhooks.storage.testing.PostgresServer;

class PostgresApiKeysMigrationTest extends ApiKeysMigrationTest {
    private String url;

    @Override
    protected String jdbcUrl() {
        if (url == null) {
            url = PostgresServer.newDatabaseUrl();
        }
        return url;
    }

    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }
}
