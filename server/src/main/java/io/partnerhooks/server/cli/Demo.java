package io.partnerhooks.server.cli;

import io.partnerhooks.server.App;
import io.partnerhooks.server.Clients;
import io.partnerhooks.server.Config;
import io.partnerhooks.server.Ui;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code partnerhooks demo}: a server on a throw-away SQLite database, three local receivers and a
 * simulated platform ({@link DemoPlatform}), so the dashboard fills with deliveries, retries and a
 * cooldown within a minute. It reads no PARTNERHOOKS_* setting: nothing of a real installation is
 * touched. Ctrl-C stops it all and removes the temporary directory.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run a throw-away server with a simulated platform and local receivers, to look at the dashboard.")
final class Demo implements Callable<Integer> {
    /** Short so that retries and a cooldown show within a minute; the product default starts at 5 s and reaches 8 h. */
    static final List<Duration> RETRY_SCHEDULE =
            List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20));

    static final String LOOPBACK = "127.0.0.1";

    @Option(names = "--port", defaultValue = "0", description = "Port of the API and dashboard. Default: a free one.")
    int port;

    @Option(
            names = "--fail-for",
            defaultValue = "45s",
            description = "How long the failing endpoint's receiver answers 500 before it recovers. Default 45s.")
    String failFor;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535");
        }
        Duration down = Config.parseDuration("--fail-for", failFor);
        PrintStream out = System.out;
        Clock clock = Clock.systemUTC();
        Path dir = Files.createTempDirectory("partnerhooks-demo-");
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // not available here: the shutdown hook below still removes the directory
            }
        }
        Thread hook = new Thread(() -> deleteTree(dir), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);

        App app = null;
        ScheduledExecutorService timer = null;
        LocalReceiver billing = null;
        LocalReceiver flaky = null;
        LocalReceiver numbers = null;
        try {
            int apiPort = port == 0 ? freePort() : port;
            String base = "http://" + LOOPBACK + ":" + apiPort;
            SecureRandom random = new SecureRandom();
            String operatorToken = "op_demo_" + token(random);
            String metaSecret = token(random);
            Config config = Config.defaults(dir)
                    .withPort(apiPort)
                    .withOperatorToken(operatorToken)
                    // the demo's own receivers listen on 127.0.0.1 only; nothing else is let through
                    .withAllowedTargets(LOOPBACK + "/32")
                    .withRetry(RETRY_SCHEDULE, Duration.ofHours(1))
                    .withDeliveryTimeout(Duration.ofSeconds(5))
                    .withMeta("demo-verify-" + token(random), metaSecret)
                    .withClients(new Clients(Duration.ofSeconds(10), Duration.ofSeconds(30), 256, LOOPBACK, null))
                    .withUi(new Ui(base, "Partnerhooks demo", null));
            app = App.start(config);

            billing = new LocalReceiver(LOOPBACK, 0, null, out, clock);
            flaky = new LocalReceiver(LOOPBACK, 0, null, out, clock);
            numbers = new LocalReceiver(LOOPBACK, 0, null, out, clock);
            DemoPlatform platform = new DemoPlatform(base, operatorToken, metaSecret, clock, out);
            // the failing receiver is down from the start, and each receiver checks signatures from the first delivery
            Instant recovers = clock.instant().plus(down);
            flaky.failUntil(recovers);
            DemoPlatform.Partner s = platform.setUpPartner(
                    "http://" + LOOPBACK + ":" + billing.port() + "/billing",
                    "http://" + LOOPBACK + ":" + flaky.port() + "/flaky");
            billing.verifyWith(s.billing().secret());
            flaky.verifyWith(s.flaky().secret());
            String numbersUrl = "http://" + LOOPBACK + ":" + numbers.port() + "/numbers";
            numbers.verifyWith(platform.setUpNumber(numbersUrl));
            URI link = platform.portalLink();

            out.println();
            out.println("Partnerhooks demo is running (Ctrl-C stops it and removes everything it made).");
            out.println("  dashboard:       " + base + "/ui");
            out.println("  partner API key: " + s.partner().apiKey() + "   (sign in with it)");
            out.println("  one-time link:   " + link + "   (or open this, valid for an hour)");
            out.println("  operator token:  " + operatorToken);
            out.println("  partner id:      " + s.partner().id());
            out.println("  data directory:  " + dir);
            out.println("The simulated platform reports usage for " + DemoPlatform.WORKSPACE + ", moves "
                    + DemoPlatform.CHANNEL + " through its lifecycle and relays Meta messages for " + DemoPlatform.PHONE
                    + ".");
            out.println("The endpoint on /flaky answers 500 for " + failFor
                    + " (retries, then a cooldown), then recovers.");
            out.println();
            out.flush();

            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-platform");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(platform::tick, 1, 1, TimeUnit.SECONDS);
            stop.await();
            out.println("stopping the demo ...");
        } finally {
            if (timer != null) {
                timer.shutdownNow();
                timer.awaitTermination(10, TimeUnit.SECONDS);
            }
            for (LocalReceiver r : new LocalReceiver[] {billing, flaky, numbers}) {
                if (r != null) {
                    r.close();
                }
            }
            if (app != null) {
                app.shutdown(Duration.ZERO, Duration.ofSeconds(5));
            }
            deleteTree(dir);
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        out.println("removed " + dir);
        out.flush();
        System.exit(0);
        return 0;
    }

    private static String token(SecureRandom random) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    System.err.println("partnerhooks demo: could not remove " + p + ": " + e.getMessage());
                }
            });
        } catch (IOException e) {
            System.err.println("partnerhooks demo: could not remove " + dir + ": " + e.getMessage());
        }
    }
}
