package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.sdk.client.Delivery;
import io.partnerhooks.sdk.client.Endpoint;
import io.partnerhooks.sdk.client.PartnerClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./partnerhooks demo} as a user runs it: the launcher, the real jar, its own server,
 * receivers and simulated platform. Read the URL and key it prints, watch the partner API (with the
 * SDK's client) until there are delivered deliveries, a retried one and an endpoint in cooldown,
 * then Ctrl-C it: exit status 0 and its temporary directory gone. Runs after {@code package}, so
 * the launcher finds the jar fresh and does not build.
 */
class DemoIT {
    private static final Pattern DASHBOARD = Pattern.compile("^\\s*dashboard:\\s+(http://\\S+)/ui\\s*$");
    private static final Pattern KEY = Pattern.compile("^\\s*partner API key:\\s+(phk_\\S+)");
    private static final Pattern DIR = Pattern.compile("^\\s*data directory:\\s+(\\S+)\\s*$");

    @Test
    void theDemoShowsDeliveriesRetriesAndACooldownAndCleansUpOnCtrlC() throws Exception {
        Path root = Path.of(System.getProperty("basedir", "."), "..")
                .toAbsolutePath()
                .normalize();
        // A process started in the background of a non-interactive shell inherits SIGINT ignored
        // (POSIX), and a JVM cannot take an ignored SIGINT back; CI runs Maven that way. perl (in
        // every Debian) restores the default disposition a terminal's Ctrl-C would find, then
        // execs the launcher, which execs java: one pid all the way.
        ProcessBuilder pb = new ProcessBuilder(
                        "perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "./partnerhooks", "demo")
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // the demo reads no setting; make sure none of the runner's leak in
        pb.environment().keySet().removeIf(k -> k.startsWith("PARTNERHOOKS_"));
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process is gone: what arrived is in lines
            }
        });
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> !p.isAlive() || find(lines, DIR) != null);
            assertThat(p.isAlive())
                    .as("the demo is running\n" + String.join("\n", lines))
                    .isTrue();
            String base = find(lines, DASHBOARD);
            String key = find(lines, KEY);
            Path dir = Path.of(find(lines, DIR));
            assertThat(base).as(String.join("\n", lines)).startsWith("http://127.0.0.1:");
            assertThat(key).as(String.join("\n", lines)).isNotNull();
            assertThat(dir).exists();

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ui = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/ui")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ui.statusCode()).as("the dashboard answers").isIn(200, 302, 303);

            PartnerClient partner = PartnerClient.create(URI.create(base), key);
            AtomicBoolean delivered = new AtomicBoolean();
            AtomicBoolean retried = new AtomicBoolean();
            AtomicBoolean cooldown = new AtomicBoolean();
            // what the dashboard shows within a minute (some slack for a busy CI host's start-up)
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        for (Endpoint e : partner.listEndpoints()) {
                            if (e.state().equals("cooldown")) {
                                cooldown.set(true);
                            }
                            for (Delivery d : partner.endpointDeliveries(e.id(), null, 250, null)
                                    .data()) {
                                if (d.status().equals("delivered")) {
                                    delivered.set(true);
                                }
                                if (d.attempts().size() > 1) {
                                    retried.set(true);
                                }
                            }
                        }
                        return delivered.get() && retried.get() && cooldown.get();
                    });
            // the number's messaging webhook got Meta's callbacks too
            assertThat(lines).anyMatch(l -> l.contains("✓") && l.contains("/numbers"));
            assertThat(lines).noneMatch(l -> l.contains("demo platform:"));

            new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("the demo stops on SIGINT\n" + tail(lines))
                    .isTrue();
            reader.join(Duration.ofSeconds(10));
            assertThat(p.exitValue()).as(tail(lines)).isZero();
            assertThat(lines).contains("removed " + dir);
            assertThat(Files.exists(dir)).as("the temporary directory is gone").isFalse();
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
            System.out.println(tail(lines));
        }
    }

    private static String find(List<String> lines, Pattern pattern) {
        for (String l : lines) {
            Matcher m = pattern.matcher(l);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
