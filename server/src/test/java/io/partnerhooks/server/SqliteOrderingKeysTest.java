package io.partnerhooks.server;

class SqliteOrderingKeysTest extends OrderingKeysTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
