package io.partnerhooks.server;

class SqliteEndToEndTest extends EndToEndTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
