package io.partnerhooks.server;

class SqlitePortalPagesTest extends PortalPagesTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
