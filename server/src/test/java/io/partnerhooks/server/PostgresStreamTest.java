package io.partnerhooks.server;

import io.partnerhooks.storage.testing.PostgresServer;

class PostgresStreamTest extends StreamTest {
    private String url;

    @Override
    protected String databaseUrl() {
        if (url == null) {
            url = PostgresServer.newDatabaseUrl();
        }
        return url;
    }
}
