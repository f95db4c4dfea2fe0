package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
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
        String why = "the dashboard browser tests need " + what;
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

    /** node and chromium, or the test is skipped (failed under CI=true); PortalEndpointsBrowserTest uses it too. */
    static String[] tools() {
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
        return new String[] {node, chromium};
    }

    /** Removes this walk's earlier screenshots: {@code portal} ones are the portal walk's, the others dashboard.mjs's. */
    private static void clearScreenshots(boolean portal) throws IOException {
        if (Files.isDirectory(SCREENSHOTS)) {
            try (Stream<Path> old = Files.list(SCREENSHOTS)) {
                for (Path p : old.toList()) {
                    String name = p.getFileName().toString();
                    // portal-<width>-*.png are portal-pages.mjs's; portal-NN-*.png are PortalEndpointsBrowserTest's
                    boolean portalWalk = name.matches("portal-(1366|390)-.*");
                    if (portal ? portalWalk : !name.startsWith("portal-")) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    @Test
    void aPartnerSendsATestEventSeesItFailAndRetriesItFromThePage() throws Exception {
        String[] tools = tools();
        String node = tools[0];
        String chromium = tools[1];
        clearScreenshots(false);
        String[] p = partner("browser-partner");

        ProcessBuilder pb = new ProcessBuilder(node, "dashboard.mjs")
                .directory(SCRIPT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("API_KEY", p[1]);
        pb.environment().put("OPERATOR_TOKEN", OPERATOR);
        pb.environment().put("RECEIVER_URL", receiver.url("/hook"));
        pb.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
        pb.environment().put("CHROMIUM", chromium);
        Process proc = pb.start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
                Writer in = new OutputStreamWriter(proc.getOutputStream(), StandardCharsets.UTF_8)) {
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
        assertThat(proc.exitValue())
                .as("browser script exit code (its checks are on stderr above)")
                .isZero();
        assertThat(said).containsExactly("STEP receiver-fail", "DONE");

        // what the page showed matches what the receiver saw: 200, then 500, then the retry's 200
        List<TestReceiver.Received> got = receiver.received();
        assertThat(got).hasSize(3);
        assertThat(got).allSatisfy(r -> assertThat(r.header("webhook-test")).isEqualTo("true"));
        assertThat(got.get(2).header("webhook-id")).isEqualTo(got.get(1).header("webhook-id"));
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(s -> s.getFileName().toString()).filter(n -> !n.startsWith("portal-")))
                    .hasSizeGreaterThanOrEqualTo(17)
                    .allMatch(n -> n.endsWith(".png"))
                    .anyMatch(n -> n.endsWith("-audit-log.png"));
        }
        // the endpoint the script created (and found on the audit page) was recorded as the partner's change
        var log = api.get("/v1/audit-log?action=endpoint.create", p[1]).json().get("data");
        assertThat(log).hasSize(1);
        assertThat(log.get(0).get("actor").get("type").asText()).isEqualTo("partner");
        assertThat(log.get(0).get("after").get("description").asText()).isEqualTo("Browser test <receiver>");
    }

    /**
     * Every dashboard page at 1,366 px and at 390 px (issue 17 item 6): portal-pages.mjs visits
     * each, checks that none scrolls sideways at 390 px and that the navigation stays on screen,
     * sets a threshold and a channel's messaging webhook on the way, and saves
     * portal-<width>-<page>.png for each.
     */
    @Test
    void everyPageFitsAPhoneAndALaptopScreen() throws Exception {
        String[] tools = tools();
        clearScreenshots(true);
        String[] p = partner("portal-partner");
        // a long description and URL: what would push a page sideways if anything did
        Api.Response ep = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\""
                        + receiver.url(
                                "/hooks/a-rather-long-path-that-a-partner-might-really-use/with/several/segments?and=query")
                        + "\","
                        + "\"event_types\":[\"*\"],\"description\":\"Order system of the northern warehouse (production)\"}");
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        String endpointId = ep.json().get("id").asText();
        String event = publish(p[0], "package.updated", "{}");
        Awaitility.await()
                .atMost(WAIT)
                .until(() ->
                        deliveries(p[1], event).get(0).get("status").asText().equals("delivered"));
        receiver.then(TestReceiver.status(500));
        String failing = publish(p[0], "channel.ready", "{}");
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> deliveries(p[1], failing).get(0).get("attempts").size() == 1);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/workspaces/ws_northern_warehouse",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"seats_purchased\":10,\"messaging_quota\":1000,\"transactions_quota\":500,\"api_calls_quota\":100000,"
                                        + "\"billing_period_start\":\"2026-11-01T00:00:00Z\",\"billing_period_end\":\"2026-12-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(200);
        api.post(
                "/platform/v1/workspaces/ws_northern_warehouse/usage",
                OPERATOR,
                "{\"messaging_used\":870,\"transactions_used\":120,\"seats_used\":4}");
        assertThat(api.post("/v1/thresholds", p[1], "{\"quota\":\"messaging\",\"percent\":80}")
                        .status())
                .isEqualTo(201);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/clients/cl_bakery",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0] + "\",\"name\":\"Bakery\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call(
                                "PUT",
                                "/platform/v1/channels/ch_bakery_main",
                                OPERATOR,
                                "{\"partner_id\":\"" + p[0]
                                        + "\",\"client_id\":\"cl_bakery\",\"phone_number\":\"+4915112345678\",\"phone_name\":\"Bakery main line\"}")
                        .status())
                .isEqualTo(200);

        ProcessBuilder pb = new ProcessBuilder(tools[0], "portal-pages.mjs")
                .directory(SCRIPT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("API_KEY", p[1]);
        pb.environment().put("OPERATOR_TOKEN", OPERATOR);
        pb.environment().put("ENDPOINT_ID", endpointId);
        pb.environment().put("EVENT_ID", event);
        pb.environment().put("CHANNEL_ID", "ch_bakery_main");
        pb.environment().put("RECEIVER_URL", receiver.url("/whatsapp"));
        pb.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
        pb.environment().put("CHROMIUM", tools[1]);
        Process proc = pb.start();
        List<String> said = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                said.add(line);
            }
        } finally {
            if (!proc.waitFor(3, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
            }
        }
        assertThat(proc.exitValue())
                .as("browser script exit code (its checks are on stderr above)")
                .isZero();
        assertThat(said).containsExactly("DONE");
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            List<String> names = shots.map(s -> s.getFileName().toString())
                    .filter(n -> n.startsWith("portal-"))
                    .toList();
            for (String page : List.of(
                    "sign-in",
                    "endpoints",
                    "endpoint",
                    "events",
                    "events-failed",
                    "event",
                    "catalog",
                    "audit",
                    "thresholds",
                    "workspaces",
                    "channels",
                    "channel",
                    "partners")) {
                assertThat(names).contains("portal-1366-" + page + ".png", "portal-390-" + page + ".png");
            }
        }
        // what the walk changed went through the audited use cases, as the partner
        var log = api.get("/v1/audit-log?limit=20", p[1]).json().get("data");
        assertThat(log)
                .extracting(e -> e.get("action").asText())
                .contains("threshold.create", "channel_webhook.set", "channel_webhook.delete");
        assertThat(api.get("/v1/thresholds", p[1]).body()).contains("transactions");
    }
}
