package io.partnerhooks.server;

class SqliteSubjectFilterTest extends SubjectFilterTest {
    @Override
    protected String databaseUrl() {
        return "";
    }
}
