package io.partnerhooks.server;

class SqliteResponseContractTest extends ResponseContractTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
