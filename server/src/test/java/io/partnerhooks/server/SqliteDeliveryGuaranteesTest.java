package io.partnerhooks.server;

class SqliteDeliveryGuaranteesTest extends DeliveryGuaranteesTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
