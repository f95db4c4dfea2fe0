package io.partnerhooks.server;

class SqlitePortalLinkTest extends PortalLinkTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
