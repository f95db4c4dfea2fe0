package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.server.support.TestReceiver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The endpoint management pages and the event page in Chromium at 1,366 px and 390 px
 * (src/test/browser/portal-endpoints.mjs): create, edit with an error shown beside its field,
 * disable, enable, delete after confirming, and a failing delivery's page; no page wider than
 * the phone's viewport. Screenshots go to target/screenshots as portal-*.png. Skipped like
 * {@link DashboardBrowserTest} without node, chromium or the npm packages (fails when CI=true).
 */
class PortalEndpointsBrowserTest extends AppTestBase {
    /** This walk's screenshots, portal-NN-<width>-*.png; portal-pages.mjs's portal-<width>-*.png stay. */
    private static final Pattern OWN_SHOT = Pattern.compile("portal-\\d\\d-.*");

    @Override
    protected String databaseUrl() {
        return "";
    }

    @Test
    void endpointPagesAndTheEventPageWorkAndFitAPhone() throws Exception {
        String[] tools = DashboardBrowserTest.tools();
        String node = tools[0];
        String chromium = tools[1];
        Path shots = DashboardBrowserTest.SCREENSHOTS;
        if (Files.isDirectory(shots)) {
            try (Stream<Path> old = Files.list(shots)) {
                for (Path p : old.filter(f ->
                                OWN_SHOT.matcher(f.getFileName().toString()).matches())
                        .toList()) {
                    Files.delete(p);
                }
            }
        }
        String[] p = partner("portal-partner");
        receiver.always(TestReceiver.status(500));

        ProcessBuilder pb = new ProcessBuilder(node, "portal-endpoints.mjs")
                .directory(DashboardBrowserTest.SCRIPT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("API_KEY", p[1]);
        pb.environment().put("RECEIVER_URL", receiver.url("/hook"));
        pb.environment().put("SCREENSHOT_DIR", shots.toAbsolutePath().toString());
        pb.environment().put("CHROMIUM", chromium);
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
        try (Stream<Path> files = Files.list(shots)) {
            assertThat(files.map(f -> f.getFileName().toString())
                            .filter(n -> OWN_SHOT.matcher(n).matches()))
                    .hasSize(14)
                    .anyMatch(n -> n.contains("-390-event-held"))
                    .anyMatch(n -> n.contains("-1366-edit-error"));
        }
        // both walks' endpoints were created, edited and deleted through the audited calls
        var log = api.get("/v1/audit-log?action=endpoint.delete", p[1]).json().get("data");
        assertThat(log).hasSize(2);
        assertThat(api.get("/v1/endpoints", p[1]).json().get("data")).isEmpty();
    }
}
