package io.partnerhooks.server;

class SqliteCompatibilityTest extends CompatibilityTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
