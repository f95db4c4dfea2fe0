package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml as tools outside this project read it: Redocly's recommended lint (no
 * errors), an independent OpenAPI 3.1 schema validator, and a TypeScript client generated from it
 * with openapi-typescript that a small program (src/test/contract/ts/client.ts) must type-check
 * against. The npm packages are pinned in src/test/contract/package-lock.json; .ci/run installs
 * them with {@code npm ci}. Without node or those packages the test is skipped locally and fails
 * when CI=true.
 */
class OpenApiToolsTest {
    static final Path TOOLS = Path.of("src/test/contract");
    static Path document;

    @BeforeAll
    static void locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/openapi.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a docs/openapi.yaml above " + Path.of("").toAbsolutePath())
                .isNotNull();
        document = dir.resolve("docs/openapi.yaml");
    }

    private static void missing(String what) {
        String why = "the OpenAPI tool checks need " + what;
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

    /** npx from PATH, with the pinned package installed under node_modules (never fetched on the fly). */
    private static String npx(String pkg) {
        if (onPath("node") == null) {
            missing("node on PATH");
        }
        String npx = onPath("npx");
        if (npx == null) {
            missing("npx on PATH (Debian's npm package)");
        }
        if (!Files.isDirectory(TOOLS.resolve("node_modules").resolve(pkg))) {
            missing(pkg + " (npm ci in server/src/test/contract)");
        }
        return npx;
    }

    record Run(int exit, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("openapi-tool", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(TOOLS.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("NO_COLOR", "1");
            pb.environment().put("REDOCLY_TELEMETRY", "off");
            pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
            Process proc = pb.start();
            if (!proc.waitFor(3, TimeUnit.MINUTES)) {
                proc.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 3 minutes");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            // The note for the issue quotes these outputs; they are also what a failure shows.
            System.out.println("$ " + String.join(" ", command) + "\n" + out);
            return new Run(proc.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void redoclysRecommendedLintFindsNoErrors() throws Exception {
        String npx = npx("@redocly/cli");
        Run r = run(List.of(
                npx,
                "--no-install",
                "redocly",
                "lint",
                "--extends=recommended",
                "--format=stylish",
                document.toString()));
        assertThat(r.output()).as("redocly lint output").doesNotContain("Validation failed");
        assertThat(r.exit()).as("redocly lint exit status\n" + r.output()).isZero();
    }

    @Test
    void anIndependentOpenApi31ValidatorAcceptsTheDocument() throws Exception {
        String npx = npx("@seriousme/openapi-schema-validator");
        Run r = run(List.of(npx, "--no-install", "validate-api", document.toString()));
        assertThat(r.exit()).as("validate-api exit status\n" + r.output()).isZero();
        assertThat(r.output().replaceAll("\\s", "")).as("validate-api output").contains("\"valid\":true");
    }

    @Test
    void aTypeScriptClientGeneratedFromTheDocumentTypeChecksAProgramThatUsesIt() throws Exception {
        String npx = npx("openapi-typescript");
        npx("typescript");
        Path generated = TOOLS.resolve("generated/openapi.d.ts");
        Files.deleteIfExists(generated);
        Run gen = run(List.of(
                npx, "--no-install", "openapi-typescript", document.toString(), "-o", "generated/openapi.d.ts"));
        assertThat(gen.exit())
                .as("openapi-typescript exit status\n" + gen.output())
                .isZero();
        String types = Files.readString(generated);
        // every operation is reachable by its operationId, so a generated client has real names
        List<String> missingOps = new ArrayList<>();
        for (String op : List.of("createEndpoint", "listEvents", "publishEvent", "publishEventBatch", "getEventType")) {
            if (!types.contains("    " + op + ": {")) {
                missingOps.add(op);
            }
        }
        assertThat(missingOps)
                .as("operations missing from the generated operations type")
                .isEmpty();
        Run tsc = run(List.of(npx, "--no-install", "tsc", "-p", "tsconfig.json"));
        assertThat(tsc.exit())
                .as("tsc --noEmit of ts/client.ts against the generated types\n" + tsc.output())
                .isZero();
    }
}
