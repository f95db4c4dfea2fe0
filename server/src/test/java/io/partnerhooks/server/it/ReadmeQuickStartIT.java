package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Five minutes with curl" block, run as written by bash from the top of the
 * checkout: the real launcher, the real server and {@code partnerhooks listen} as the receiver.
 * Two things differ from a reader's machine, so that a busy CI host cannot break it: the ports
 * 8080 and 9000 are replaced by free ones (the server's through {@code PARTNERHOOKS_PORT}) and
 * the data directory is a temporary one. Runs after {@code package}, so the launcher finds the
 * jar fresh and does not build.
 */
class ReadmeQuickStartIT {
    @TempDir
    Path dir;

    static String block(String readme) {
        Matcher m = Pattern.compile("(?s)## Five minutes with curl\\n.*?```sh\\n(.*?)```\\n")
                .matcher(readme);
        assertThat(m.find())
                .as("README.md has a ```sh block under \"## Five minutes with curl\"")
                .isTrue();
        return m.group(1);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void theQuickStartDeliversASignedEventToListen() throws Exception {
        Path root = Path.of(System.getProperty("basedir", "."), "..")
                .toAbsolutePath()
                .normalize();
        String script = block(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
        assertThat(script).contains("./partnerhooks serve", "./partnerhooks listen", "localhost:8080", "9000");
        int server = freePort();
        int receiver = freePort();
        script = script.replace("8080", Integer.toString(server)).replace("9000", Integer.toString(receiver));
        assertThat(script).doesNotContain("8080").doesNotContain("9000");
        Path file = dir.resolve("quickstart.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);

        // setsid: the block starts two background jobs; the whole group is stopped below whatever happens
        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", file.toString())
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().put("PARTNERHOOKS_PORT", Integer.toString(server));
        pb.environment().put("PARTNERHOOKS_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("PARTNERHOOKS_DATABASE_URL");
        Process p = pb.start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(bytes);
            } catch (IOException ignored) {
                // the group was killed: what arrived so far is in bytes
            }
        });
        boolean finished;
        try {
            finished = p.waitFor(3, TimeUnit.MINUTES);
            // the jobs the block stopped still finish their shutdown (and their summary lines)
            reader.join(Duration.ofSeconds(40));
        } finally {
            new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid())
                    .redirectErrorStream(true)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(10));
        }
        String out;
        synchronized (bytes) {
            out = bytes.toString(StandardCharsets.UTF_8);
        }
        System.out.println(out);
        assertThat(finished).as("the block finished within 3 minutes\n" + out).isTrue();
        assertThat(p.exitValue()).as("the block's exit status\n" + out).isZero();
        assertThat(out)
                .as("the partner answer the block echoes")
                .containsPattern("\"id\":\"ptn_[^\"]+\"")
                .contains("\"api_key\":\"phk_");
        assertThat(out)
                .as("listen's line for the delivery, signature checked")
                .containsPattern("✓ standard-webhooks +/hooks +.*workspace\\.seats\\.exhausted");
        assertThat(out)
                .as("the event log the block prints")
                .containsPattern("\"type\":\"workspace\\.seats\\.exhausted\"")
                .contains("\"subject\":{\"workspace_id\":\"ws_acme-support\"}");
        assertThat(out).as("listen's summary when the block stops it").contains("1 received, 1 verified, 0 refused");
        assertThat(out)
                .as("no problem answer anywhere")
                .doesNotContain("application/problem+json")
                .doesNotContain("\"errors\"");
    }
}
