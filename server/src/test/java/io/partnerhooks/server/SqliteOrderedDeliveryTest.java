package io.partnerhooks.server;

class SqliteOrderedDeliveryTest extends OrderedDeliveryTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
