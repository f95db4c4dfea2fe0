package io.partnerhooks.server;

class SqliteLogApiTest extends LogApiTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
