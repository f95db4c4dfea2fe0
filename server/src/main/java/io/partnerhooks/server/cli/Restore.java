package io.partnerhooks.server.cli;

import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.server.Config;
import io.partnerhooks.server.MasterKey;
import io.partnerhooks.storage.SqliteBackup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "restore",
        mixinStandardHelpOptions = true,
        description = "Replace the data directory's SQLite database with a backup (the server must be stopped).")
final class Restore implements Callable<Integer> {
    @Mixin
    Main.Settings settings = new Main.Settings();

    @Option(
            names = "--from",
            required = true,
            paramLabel = "FILE",
            description = "A file written by partnerhooks backup.")
    Path from;

    @Option(
            names = "--replace",
            description =
                    "Replace a database the data directory already holds (kept as partnerhooks.db.before-restore).")
    boolean replace;

    @Override
    public Integer call() {
        Config config = settings.toConfig();
        if (!config.databaseUrl().isBlank()) {
            throw new IllegalArgumentException(
                    "restore writes the embedded SQLite database; with PostgreSQL restore the"
                            + " database with pg_restore (see README)");
        }
        if (config.masterKey() == null && !Files.exists(config.dataDir().resolve("master.key"))) {
            throw new IllegalArgumentException(
                    "no master key for " + config.dataDir() + ": copy the master.key of the backed-up"
                            + " data directory into it (or set PARTNERHOOKS_MASTER_KEY) first, or the signing secrets in the backup"
                            + " cannot be decrypted");
        }
        var random = new SecureRandom();
        var box = new SecretBox(MasterKey.resolve(config, random), random);
        System.out.println("restoring " + from + " into " + config.dataDir() + " ...");
        var r = SqliteBackup.restore(from, config.dataDir(), box, replace);
        System.out.printf(
                "restored: %,d bytes, %,d events, %,d endpoints, in %,d ms; start the server with the same data"
                        + " directory%n",
                r.bytes(), r.events(), r.endpoints(), r.millis());
        return 0;
    }
}
