package io.partnerhooks.server;

class SqliteTracingTest extends TracingTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
