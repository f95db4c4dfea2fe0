package io.partnerhooks.server;

class SqliteApiKeysTest extends ApiKeysTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
