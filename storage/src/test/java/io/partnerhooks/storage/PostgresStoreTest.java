package io.partnerhooks.storage;

import io.partnerhooks.storage.testing.PostgresServer;
import java.nio.file.Path;
import io.partnerhooks.storage.testing.TestKeys;

class PostgresStoreTest extends StoreContractTest {
    @Override
    protected JdbcStore openStore() {
        return Database.open(PostgresServer.newDatabaseUrl(), Path.of("unused"), TestKeys.box());
    }
}
