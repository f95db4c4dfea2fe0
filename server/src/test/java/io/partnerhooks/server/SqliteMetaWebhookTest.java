package io.partnerhooks.server;

class SqliteMetaWebhookTest extends MetaWebhookTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
