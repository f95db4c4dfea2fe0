package io.partnerhooks.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import io.partnerhooks.storage.testing.TestKeys;

class SqliteStoreTest extends StoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected JdbcStore openStore() {
        return Database.open("", dir, TestKeys.box());
    }
}
