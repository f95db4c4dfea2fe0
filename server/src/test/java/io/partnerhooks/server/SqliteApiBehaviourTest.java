package io.partnerhooks.server;

class SqliteApiBehaviourTest extends ApiBehaviourTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
