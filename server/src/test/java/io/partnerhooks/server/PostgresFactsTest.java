package io.partnerhooks.server;

import io.partnerhooks.storage.testing.PostgresServer;

class PostgresFactsTest extends FactsTest {
    private String url;

    @Override
    protected String databaseUrl() {
        if (url == null) {
            url = PostgresServer.newDatabaseUrl();
        }
        return url;
    }
}
