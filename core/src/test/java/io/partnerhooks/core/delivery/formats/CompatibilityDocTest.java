package io.partnerhooks.core.delivery.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.delivery.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples in docs/compatibility.md are real: each body is its golden file, each signature
 * header is what we compute for that body, so the page cannot drift from the product.
 */
class CompatibilityDocTest {
    private static final Map<String, String> EXAMPLES = Map.of(
            "timelinesai", "golden/timelinesai/workspace.quota.messaging.near_limit",
            "360dialog", "golden/360dialog/channel.live",
            "99digital", "golden/99digital/channel.created@onboarding");

    @Test
    void everyExampleIsTheGoldenBodyWithItsRealHeaders() throws IOException {
        List<Map<String, String>> blocks = httpBlocks(Files.readString(docsDir().resolve("compatibility.md")));
        assertThat(blocks).as("POST examples in docs/compatibility.md").hasSize(3);
        for (Map<String, String> b : blocks) {
            String body = b.get("");
            String format = body.contains("\"event_type\"")
                    ? "timelinesai"
                    : body.startsWith("{\"id\"") ? "360dialog" : "99digital";
            String base = EXAMPLES.get(format);
            assertThat(body).as(format + " example body").isEqualTo(resource(base + ".json"));
            long ts = Long.parseLong(b.get("webhook-timestamp"));
            assertThat(ts).isEqualTo(GoldenFormatsTest.NOW.getEpochSecond());
            assertThat(b.get("webhook-id")).isEqualTo(GoldenFormatsTest.EVENT_ID.value());
            assertThat(b.get("webhook-signature"))
                    .as(format + " webhook-signature")
                    .isEqualTo(Signer.sign(
                            GoldenFormatsTest.SECRET, b.get("webhook-id"), ts, body.getBytes(StandardCharsets.UTF_8)));
            if (format.equals("timelinesai")) {
                assertThat(resource(base + ".headers"))
                        .contains("x-tl-signature: " + b.get("x-tl-signature") + "\n")
                        .contains("x-tl-partner-id: " + b.get("x-tl-partner-id") + "\n");
            }
        }
    }

    /** Each ```http block that starts with POST: lower-case header names to values, and "" to the body. */
    private static List<Map<String, String>> httpBlocks(String md) {
        List<Map<String, String>> out = new ArrayList<>();
        String[] parts = md.split("```http\n");
        for (int i = 1; i < parts.length; i++) {
            String block = parts[i].substring(0, parts[i].indexOf("\n```"));
            if (!block.startsWith("POST ") || !block.contains("webhook-signature")) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            String[] headAndBody = block.split("\n\n", 2);
            for (String line : headAndBody[0].lines().skip(1).toList()) {
                int colon = line.indexOf(':');
                m.put(
                        line.substring(0, colon).toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
            m.put("", headAndBody[1]);
            out.add(m);
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CompatibilityDocTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path docsDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docs").resolve("compatibility.md"))) {
                return p.resolve("docs");
            }
        }
        throw new AssertionError("no docs/compatibility.md above " + Path.of("").toAbsolutePath());
    }
}
