package io.partnerhooks.server;

class SqliteStreamTest extends StreamTest {

    @Override
    protected String databaseUrl() {
        return "";
    }
}
