package io.partnerhooks.server.cli;

import io.partnerhooks.server.Config;
import io.partnerhooks.storage.Database;
import io.partnerhooks.storage.SqliteBackup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "backup",
        mixinStandardHelpOptions = true,
        description = "Copy the embedded SQLite database to FILE while the server runs (a consistent snapshot).")
final class Backup implements Callable<Integer> {
    @Mixin
    Main.Settings settings = new Main.Settings();

    @Option(
            names = "--to",
            required = true,
            paramLabel = "FILE",
            description = "The backup file to write; must not exist yet.")
    Path to;

    @Override
    public Integer call() {
        Config config = settings.toConfig();
        if (!config.databaseUrl().isBlank()) {
            throw new IllegalArgumentException(
                    "backup copies the embedded SQLite database; with PostgreSQL back up the"
                            + " database with pg_dump or your provider's snapshots, and keep PARTNERHOOKS_MASTER_KEY apart (see README)");
        }
        System.out.println("backing up " + config.dataDir().resolve(Database.SQLITE_FILE) + " to " + to + " ...");
        var r = SqliteBackup.backup(config.dataDir(), to);
        System.out.printf(
                "backup written: %s, %,d bytes, %,d events, %,d endpoints, in %,d ms%n",
                r.file(), r.bytes(), r.events(), r.endpoints(), r.millis());
        System.out.println("the signing secrets in it are encrypted: keep the master key ("
                + config.dataDir().resolve("master.key")
                + " or PARTNERHOOKS_MASTER_KEY) too, stored apart from the backup");
        return 0;
    }
}
