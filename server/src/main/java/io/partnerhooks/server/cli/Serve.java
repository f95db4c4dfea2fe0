package io.partnerhooks.server.cli;

import io.partnerhooks.server.App;
import io.partnerhooks.server.Config;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the API and the delivery worker.")
final class Serve implements Callable<Integer> {
    @Mixin
    Main.Settings settings = new Main.Settings();

    @Override
    public Integer call() throws InterruptedException {
        Config config = settings.toConfig();
        Duration drain = Config.parseDuration("SHUTDOWN_DRAIN", settings.shutdownDrain);
        Duration timeout = Config.parseDuration("SHUTDOWN_TIMEOUT", settings.shutdownTimeout);
        if (drain.compareTo(Duration.ofMinutes(5)) > 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new Config.InvalidConfigException("SHUTDOWN_DRAIN and SHUTDOWN_TIMEOUT must be at most 5m");
        }
        App app = App.start(config);
        CountDownLatch signalled = new CountDownLatch(1);
        // SIGTERM and SIGINT start a clean stop on this thread, which then exits 0; other exits
        // (System.exit elsewhere, SIGHUP) still close the store through the hook
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> signalled.countDown());
            } catch (IllegalArgumentException e) {
                // signal not available here: the shutdown hook covers it
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        signalled.await();
        app.shutdown(drain, timeout);
        System.out.flush();
        System.exit(0);
        return 0;
    }
}
