package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Attempt;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an attempt keeps of the request it sent. */
class AttemptRequestTest {
    @Test
    void signaturesKeepOnlyTheirVersionAndOtherHeadersStayInOrder() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.put("webhook-id", "evt_1");
        h.put("webhook-signature", "v1,abcDEF123= v1,zzz999=");
        Map<String, String> kept = AttemptMaker.masked(h, Set.of());
        assertThat(kept)
                .containsExactly(
                        Map.entry("content-type", "application/json"),
                        Map.entry("webhook-id", "evt_1"),
                        Map.entry("webhook-signature", "v1,*** v1,***"));
        assertThat(h.get("webhook-signature")).isEqualTo("v1,abcDEF123= v1,zzz999=");
    }

    @Test
    void everySignatureHeaderAndEveryCustomHeaderValueIsMasked() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-type", "application/json");
        h.put("X-Api-Key", "secret-value");
        h.put("x-hub-signature-256", "sha256=0123abcdef");
        h.put("x-tl-signature", "eyJhbGciOiJIUzI1NiJ9.eyJwIjoxfQ.c2lnbmF0dXJl");
        h.put("webhook-signature", "v1,abc=");
        Map<String, String> kept = AttemptMaker.masked(h, Set.of("x-api-key"));
        assertThat(kept)
                .containsExactly(
                        Map.entry("content-type", "application/json"),
                        Map.entry("X-Api-Key", "********"),
                        Map.entry("x-hub-signature-256", "sha256=***"),
                        Map.entry("x-tl-signature", "***"),
                        Map.entry("webhook-signature", "v1,***"));
    }

    @Test
    void bodiesAreKeptUpTo64KiB() {
        assertThat(AttemptMaker.bodyAsKept("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("{\"a\":1}");
        byte[] big = "x".repeat(Attempt.MAX_REQUEST_BODY + 10).getBytes(StandardCharsets.UTF_8);
        assertThat(AttemptMaker.bodyAsKept(big)).hasSize(Attempt.MAX_REQUEST_BODY);
    }
}
