package io.partnerhooks.server;

class SqliteReplayUnderLoadIT extends ReplayUnderLoad {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
