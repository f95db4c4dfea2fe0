package io.partnerhooks.storage;

import io.partnerhooks.storage.testing.PostgresServer;
import java.nio.file.Path;

class PostgresStoreTest extends StoreContractTest {
    @Override
    protected JdbcStore openStore() {
        return Database.open(PostgresServer.newDatabaseUrl(), Path.of("unused"), io.partnerhooks.storage.testing.TestKeys.box());
    }
}
