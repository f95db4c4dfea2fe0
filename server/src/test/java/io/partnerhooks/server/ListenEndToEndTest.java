package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real server delivering to {@code partnerhooks listen} run as its own process: verified and printed. */
class ListenEndToEndTest extends AppTestBase {
    @Override
    protected String databaseUrl() {
        return "";
    }

    @Test
    void aDeliveryToListenIsVerifiedAndPrinted() throws Exception {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // listen checks the signature's timestamp against the real clock, as a receiver does
        clock.advance(Duration.between(clock.instant(), Instant.now()));
        String[] p = partner("Dev BSP");
        String secret = endpoint(p[1], "http://127.0.0.1:" + port + "/dev", "[\"*\"]")
                .get("secret")
                .asText();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process listen = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        cp,
                        "io.partnerhooks.server.cli.Main",
                        "listen",
                        "--port",
                        Integer.toString(port),
                        "--secret",
                        secret)
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(listen.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process ended
            }
        });
        try {
            await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.startsWith("listening on")));
            String id = publish(p[0], ANY_TYPE, "{}");
            await().atMost(WAIT)
                    .until(() -> lines.stream().anyMatch(l -> l.contains("✓ standard-webhooks") && l.contains(id)));
            assertThat(lines).anyMatch(l -> l.contains(ANY_TYPE) && l.contains("/dev"));
            await().atMost(WAIT)
                    .until(() ->
                            deliveries(p[1], id).get(0).get("status").asText().equals("delivered"));
        } finally {
            listen.toHandle()
                    .destroy(); // SIGTERM, like Ctrl-C (Process.destroy would also close our end of its output)
            assertThat(listen.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        Thread.sleep(500); // the reader's last lines
        assertThat(lines)
                .as("exit " + listen.exitValue() + ":\n" + String.join("\n", lines))
                .anyMatch(l -> l.startsWith("stopped: 1 received, 1 verified, 0 refused"));
        assertThat(listen.exitValue()).isZero();
    }
}
