package io.partnerhooks.server;

class SqliteBatchPublishTest extends BatchPublishTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
