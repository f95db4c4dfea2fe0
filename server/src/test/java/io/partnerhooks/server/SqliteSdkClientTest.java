package io.partnerhooks.server;

class SqliteSdkClientTest extends SdkClientTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
