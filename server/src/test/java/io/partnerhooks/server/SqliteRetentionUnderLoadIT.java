package io.partnerhooks.server;

class SqliteRetentionUnderLoadIT extends RetentionUnderLoad {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
