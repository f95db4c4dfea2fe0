package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.storage.Database;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class SqliteHardeningTest extends HardeningTest {
    @Override
    protected String databaseUrl() {
        return "";
    }

    @Test
    void theDataDirectoryTheDatabaseAndItsWalAreOwnerOnly() throws Exception {
        String[] p = partner("acme");
        endpoint(p[1], receiver.url("/a"), "[\"*\"]");
        publish(p[0], ANY_TYPE, "{}");
        var file = dataDir.resolve(Database.SQLITE_FILE);
        var wal = dataDir.resolve(Database.SQLITE_FILE + "-wal");
        assertThat(wal).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wal)))
                .isEqualTo("rw-------");
        var shm = dataDir.resolve(Database.SQLITE_FILE + "-shm");
        if (Files.exists(shm)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shm)))
                    .isEqualTo("rw-------");
        }
    }
}
