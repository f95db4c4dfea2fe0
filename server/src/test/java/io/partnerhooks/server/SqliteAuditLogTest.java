package io.partnerhooks.server;

class SqliteAuditLogTest extends AuditLogTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
