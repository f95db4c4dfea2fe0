package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.partnerhooks.server.support.TestReceiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven by playwright-core
 * (src/test/browser, installed with {@code npm ci}; .ci/run does it). The script signs in, creates
 * an endpoint to our receiver, sends a test event, sees its attempt, has the receiver fail the
 * next one, retries from the page and sees the second attempt, and screenshots every page into
 * target/screenshots. Without node, chromium or the npm packages the test is skipped locally and
 * fails when CI=true.
 */
class DashboardBrowserTest extends AppTestBase {
    static final Path SCRIPT_DIR = Path.of("src/test/browser");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @Override
    protected String databaseUrl() {
        return "";
    }

    private static void missing(String what) {
        String why = "the dashboard browser test needs " + what;
        if ("true".equals(System.getenv("CI"))) {
            fail(why + " (CI=true: .ci/run should have installed it)");
        }
        Assumptions.abort(why + "; skipped outside CI");
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Test
    void aPartnerSendsATestEventSeesItFailAndRetriesItFromThePage() throws Exception {
        String node = onPath("node");
        if (node == null) {
            missing("node on PATH");
        }
        String chromium = System.getenv("CHROMIUM") != null ? System.getenv("CHROMIUM") : onPath("chromium");
        if (chromium == null) {
            missing("chromium (apt-get install chromium, or CHROMIUM=/path/to/chrome)");
        }
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            missing("playwright-core (npm ci in server/src/test/browser)");
        }
        if (Files.isDirectory(SCREENSHOTS)) {
            try (Stream<Path> old = Files.list(SCREENSHOTS)) {
                // portal-*.png are PortalEndpointsBrowserTest's, which may have run first
                for (Path p : old.filter(f -> !f.getFileName().toString().startsWith("portal-")).toList()) {
                    Files.delete(p);
                }
            }
        }
        String[] p = partner("browser-partner");

        ProcessBuilder pb = new ProcessBuilder(node, "dashboard.mjs").directory(SCRIPT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("API_KEY", p[1]);
        pb.environment().put("OPERATOR_TOKEN", OPERATOR);
        pb.environment().put("RECEIVER_URL", receiver.url("/hook"));
        pb.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
        pb.environment().put("CHROMIUM", chromium);
        Process proc = pb.start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new java.io.OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                said.add(line);
                if (line.equals("STEP receiver-fail")) {
                    receiver.then(TestReceiver.status(500));
                    in.write("OK\n");
                    in.flush();
                }
            }
        } catch (IOException e) {
            proc.destroyForcibly();
            throw e;
        } finally {
            if (!proc.waitFor(3, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
            }
        }
        assertThat(proc.exitValue()).as("browser script exit code (its checks are on stderr above)").isZero();
        assertThat(said).containsExactly("STEP receiver-fail", "DONE");

        // what the page showed matches what the receiver saw: 200, then 500, then the retry's 200
        List<TestReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(3);
        assertThat(got).allSatisfy(r -> assertThat(r.header("webhook-test")).isEqualTo("true"));
        assertThat(got.get(2).header("webhook-id")).isEqualTo(got.get(1).header("webhook-id"));
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(s -> s.getFileName().toString())).hasSizeGreaterThanOrEqualTo(17)
                    .allMatch(n -> n.endsWith(".png")).anyMatch(n -> n.endsWith("-audit-log.png"));
        }
        // the endpoint the script created (and found on the audit page) was recorded as the partner's change
        var log = api.get("/v1/audit-log?action=endpoint.create", p[1]).json().get("data");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("actor").get("type").asText()).isEqualTo("partner");
        assertThat(log.get(0).get("after").get("description").asText()).isEqualTo("Browser test <receiver>");
    }
}
