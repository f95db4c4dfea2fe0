package io.partnerhooks.server;

class SqliteOperationalEventsTest extends OperationalEventsTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
