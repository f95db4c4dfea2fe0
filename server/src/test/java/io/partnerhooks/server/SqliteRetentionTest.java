package io.partnerhooks.server;

class SqliteRetentionTest extends RetentionTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
