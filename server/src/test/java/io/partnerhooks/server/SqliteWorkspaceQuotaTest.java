package io.partnerhooks.server;

class SqliteWorkspaceQuotaTest extends WorkspaceQuotaTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
