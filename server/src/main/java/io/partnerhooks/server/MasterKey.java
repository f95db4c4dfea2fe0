package io.partnerhooks.server;

import io.partnerhooks.core.crypto.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * The key that encrypts signing secrets at rest: PARTNERHOOKS_MASTER_KEY, or (single node, SQLite)
 * one generated on first start into {@code DATA_DIR/master.key}, readable by the owner only. The
 * database alone never reveals a secret; the database plus this file does, so back them up apart.
 */
public final class MasterKey {
    static final String FILE = "master.key";

    private MasterKey() {}

    public static byte[] resolve(Config config, RandomGenerator random) {
        if (config.masterKey() != null) {
            return SecretBox.parseKey(config.masterKey());
        }
        if (config.databaseUrl().startsWith("jdbc:postgresql:")) {
            throw new Config.InvalidConfigException(
                    "MASTER_KEY is required with PostgreSQL: every node must decrypt the"
                            + " same signing secrets (generate one with `openssl rand -base64 32`)");
        }
        Path file = config.dataDir().resolve(FILE);
        try {
            if (Files.exists(file)) {
                try {
                    return SecretBox.parseKey(Files.readString(file, StandardCharsets.US_ASCII));
                } catch (IllegalArgumentException e) {
                    throw new Config.InvalidConfigException(file + " is damaged: " + e.getMessage());
                }
            }
            Files.createDirectories(config.dataDir());
            byte[] key = new byte[SecretBox.KEY_BYTES];
            random.nextBytes(key);
            Path tmp = config.dataDir().resolve(FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing more we can do about permissions here
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the master key in " + config.dataDir(), e);
        }
    }
}
