package io.partnerhooks.server.cli;

import io.partnerhooks.core.crypto.SecretBox;
import io.partnerhooks.server.Config;
import io.partnerhooks.server.MasterKey;
import io.partnerhooks.storage.Database;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Bring the database schema up to date and exit.")
final class Migrate implements Callable<Integer> {
    @Mixin
    Main.Settings settings = new Main.Settings();

    @Override
    public Integer call() {
        Config config = settings.toConfig();
        var random = new SecureRandom();
        var box = new SecretBox(MasterKey.resolve(config, random), random);
        try (var store = Database.open(config.databaseUrl(), config.dataDir(), box)) {
            System.out.println("schema is up to date (" + store.dialect().name() + ")");
        }
        return 0;
    }
}
