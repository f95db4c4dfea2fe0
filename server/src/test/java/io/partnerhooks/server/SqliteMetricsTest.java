package io.partnerhooks.server;

class SqliteMetricsTest extends MetricsTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
