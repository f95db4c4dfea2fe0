package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.server.App;
import io.partnerhooks.server.cli.Main;
import io.partnerhooks.server.support.TestReceiver;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release tarball as an operator gets it: unpacked into an empty directory, started by its own
 * launcher with a PATH that holds a Java runtime and the few shell tools the launcher uses, and
 * nothing else (no Maven, no JDK tools, no sources), it serves and delivers a signed event. Its
 * name, {@code partnerhooks version} and the deliveries' User-Agent name the same version, and its
 * settings file lists every setting the server reads.
 */
class DistTarballIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "dist-operator-token";
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    static Path tarball() {
        Path t = Path.of(System.getProperty("basedir", "."), "..", "dist", "partnerhooks-" + App.VERSION + ".tar.gz");
        assertThat(t)
                .as("the package phase builds dist/partnerhooks-<App.VERSION>.tar.gz (pom property"
                        + " partnerhooks.version must equal App.VERSION)")
                .isRegularFile();
        return t.toAbsolutePath().normalize();
    }

    static String run(Path cwd, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    /** A bin directory with java and the launcher's shell tools only. */
    Path minimalPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("path"));
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Files.createSymbolicLink(bin.resolve("java"), Path.of(java));
        for (String tool : List.of("sh", "sed", "head", "cut", "dirname")) {
            Path found = null;
            for (String d : List.of("/usr/bin", "/bin")) {
                if (Files.isExecutable(Path.of(d, tool))) {
                    found = Path.of(d, tool);
                    break;
                }
            }
            assertThat(found).as(tool).isNotNull();
            Files.createSymbolicLink(bin.resolve(tool), found);
        }
        return bin;
    }

    @Test
    void theUnpackedTarballServesAndDeliversWithOnlyAJavaRuntimeOnThePath() throws Exception {
        Path tgz = tarball();
        Path install = Files.createDirectories(dir.resolve("install"));
        run(install, Map.of("PATH", "/usr/bin:/bin"), "tar", "xzf", tgz.toString());
        Path home = install.resolve("partnerhooks-" + App.VERSION);
        for (String f : List.of(
                "bin/partnerhooks",
                "lib/partnerhooks.jar",
                "etc/partnerhooks.env",
                "etc/partnerhooks.service",
                "INSTALL.md",
                "README.md",
                "docs/openapi.yaml")) {
            assertThat(home.resolve(f)).as(f).exists();
        }
        assertThat(Files.isExecutable(home.resolve("bin/partnerhooks"))).isTrue();
        assertThat(Files.list(home).map(p -> p.getFileName().toString()).toList())
                .doesNotContain("pom.xml", "server", "core");
        String unit = Files.readString(home.resolve("etc/partnerhooks.service"));
        assertThat(unit)
                .contains("Restart=on-failure")
                .contains("StateDirectory=partnerhooks")
                .contains("DynamicUser=yes");

        Map<String, String> env = new HashMap<>(Map.of("PATH", minimalPath().toString(), "HOME", dir.toString()));
        assertThat(run(home, env, "bin/partnerhooks", "version").strip()).isEqualTo("Partnerhooks " + App.VERSION);

        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        env.putAll(Map.of(
                "PARTNERHOOKS_PORT",
                Integer.toString(port),
                "PARTNERHOOKS_DATA_DIR",
                dir.resolve("data").toString(),
                "PARTNERHOOKS_OPERATOR_TOKEN",
                TOKEN,
                "PARTNERHOOKS_ALLOWED_TARGETS",
                "127.0.0.0/8"));
        ProcessBuilder pb = new ProcessBuilder("bin/partnerhooks", "serve")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process server = pb.start();
        try (TestReceiver receiver = new TestReceiver()) {
            String base = "http://127.0.0.1:" + port;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(server.isAlive()).as(() -> log()).isTrue();
                        try {
                            return HTTP.send(
                                                    HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                                            .build(),
                                                    HttpResponse.BodyHandlers.discarding())
                                            .statusCode()
                                    == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            JsonNode partner = call("POST", base + "/platform/v1/partners", TOKEN, "{\"name\":\"Dist BSP\"}", 201);
            String key = partner.get("api_key").asText();
            call(
                    "POST",
                    base + "/v1/endpoints",
                    key,
                    "{\"url\":\"" + receiver.url("/dist") + "\",\"event_types\":[\"*\"]}",
                    201);
            var type = EventCatalog.load().find("package.updated").orElseThrow();
            JsonNode ev = call(
                    "POST",
                    base + "/platform/v1/events",
                    TOKEN,
                    "{\"type\":\"package.updated\",\"partner_id\":\""
                            + partner.get("id").asText() + "\",\"subject\":{\"workspace_id\":\"ws_dist\"},\"data\":"
                            + type.exampleJson() + "}",
                    202);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !receiver.received().isEmpty());
            var got = receiver.received().get(0);
            assertThat(got.header("webhook-id")).isEqualTo(ev.get("id").asText());
            assertThat(got.header("user-agent")).startsWith("Partnerhooks/" + App.VERSION);
        } finally {
            server.destroy(); // SIGTERM, as systemd stops it
            assertThat(server.waitFor(30, TimeUnit.SECONDS))
                    .as("stops on SIGTERM")
                    .isTrue();
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static JsonNode call(String method, String url, String token, String body, int expect) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(expect);
        return JSON.readTree(r.body());
    }

    /** Every PARTNERHOOKS_* variable the CLI reads is in the sample settings file, and nothing else is. */
    @Test
    void theSettingsFileListsEverySettingTheServerReads() throws Exception {
        Set<String> read = new TreeSet<>(Main.knownSettings());
        read.remove("PARTNERHOOKS_JAVA_OPTS"); // the launcher's, not the server's
        assertThat(read).hasSizeGreaterThan(10);
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^#?(PARTNERHOOKS_[A-Z_]+)=")
                .matcher(
                        Files.readString(Path.of(System.getProperty("basedir", "."), "src/dist/etc/partnerhooks.env")));
        while (m.find()) {
            listed.add(m.group(1));
        }
        listed.remove("PARTNERHOOKS_JAVA_OPTS"); // the launcher's, not the server's
        assertThat(listed).isEqualTo(read);
    }
}
