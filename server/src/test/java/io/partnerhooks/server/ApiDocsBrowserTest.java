package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * /docs in a real browser (Debian's chromium through playwright-core, as DashboardBrowserTest):
 * Swagger UI draws every operation of docs/openapi.yaml under the page's own CSP, with no request
 * to another host and no policy violation. Skipped locally without node, chromium or the npm
 * packages; fails when CI=true.
 */
class ApiDocsBrowserTest extends AppTestBase {
    @Override
    protected String databaseUrl() {
        return "";
    }

    private static void missing(String what) {
        String why = "the API reference browser test needs " + what;
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
    void swaggerUiDrawsTheWholeDocumentUnderItsOwnPolicy() throws Exception {
        String node = onPath("node");
        if (node == null) {
            missing("node on PATH");
        }
        String chromium = System.getenv("CHROMIUM") != null ? System.getenv("CHROMIUM") : onPath("chromium");
        if (chromium == null) {
            missing("chromium (apt-get install chromium, or CHROMIUM=/path/to/chrome)");
        }
        if (!Files.isDirectory(DashboardBrowserTest.SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            missing("playwright-core (npm ci in server/src/test/browser)");
        }
        Path document = Path.of("../docs/openapi.yaml");
        long operations = Pattern.compile("(?m)^\\s+operationId:")
                .matcher(Files.readString(document, StandardCharsets.UTF_8))
                .results()
                .count();
        assertThat(operations).isGreaterThan(20);

        ProcessBuilder pb = new ProcessBuilder(node, "docs.mjs")
                .directory(DashboardBrowserTest.SCRIPT_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("BASE_URL", "http://127.0.0.1:" + app.port());
        pb.environment().put("CHROMIUM", chromium);
        pb.environment()
                .put(
                        "SCREENSHOT_DIR",
                        Path.of("target/screenshots-docs").toAbsolutePath().toString());
        pb.environment().put("OPERATIONS", Long.toString(operations));
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!proc.waitFor(2, TimeUnit.MINUTES)) {
            proc.destroyForcibly();
            fail("the browser script did not finish in 2 minutes");
        }
        assertThat(proc.exitValue())
                .as("browser script exit code (its checks are on stderr above)")
                .isZero();
        assertThat(out.trim()).isEqualTo("DONE");
    }
}
