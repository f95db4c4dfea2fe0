package io.partnerhooks.server;

import io.partnerhooks.storage.testing.PostgresServer;

class PostgresOperationalEventsTest extends OperationalEventsTest {
    private String url;

    @Override
    protected String databaseUrl() {
        if (url == null) {
            url = PostgresServer.newDatabaseUrl();
        }
        return url;
    }
}
