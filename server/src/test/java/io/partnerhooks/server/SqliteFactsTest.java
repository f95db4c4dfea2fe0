package io.partnerhooks.server;

class SqliteFactsTest extends FactsTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
