package io.partnerhooks.storage;

import io.partnerhooks.storage.testing.TestKeys;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected JdbcStore openStore() {
        return Database.open("", dir, TestKeys.box());
    }
}
