package io.partnerhooks.server;

class SqliteReplayTest extends ReplayTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
