package io.partnerhooks.server;

class SqliteCollapseTest extends CollapseTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
