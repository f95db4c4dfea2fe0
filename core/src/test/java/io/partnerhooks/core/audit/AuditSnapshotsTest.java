package io.partnerhooks.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored audit shapes of an endpoint (before ADR 16 they were the API's endpoint view): they must not drift. */
class AuditSnapshotsTest {
    private static final Instant T = Instant.parse("2026-11-22T12:00:00.123456Z");
    private static final Endpoint E = new Endpoint(
            new EndpointId("ep_01JD3X8ZQ4M2R7T9V0B5C6N8KQ"),
            new PartnerId("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KQ"),
            "https://example.com/in",
            List.of("channel.*"),
            "main",
            true,
            "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
            T,
            T.plusSeconds(60),
            new Endpoint.Limits(5, 20),
            Endpoint.Health.OK,
            null,
            null,
            new Endpoint.Profile("standard", Map.of("X-Key", "k1"), null, null, true, "ordered", "as_received", false),
            new SubjectFilter(List.of("ws_1"), List.of(), List.of()));

    @Test
    void anEndpointAsChangedHasItsHeaderValuesMaskedAndNoSecret() {
        assertThat(AuditSnapshots.endpoint(E, false).toString())
                .isEqualTo("{\"id\":\"ep_01JD3X8ZQ4M2R7T9V0B5C6N8KQ\","
                        + "\"url\":\"https://example.com/in\",\"event_types\":[\"channel.*\"],\"description\":\"main\","
                        + "\"enabled\":true,\"state\":\"active\",\"disabled_reason\":null,\"state_since\":null,"
                        + "\"consecutive_failures\":0,\"next_probe_at\":null,\"max_in_flight\":5,\"rate_limit_per_second\":20,"
                        + "\"format\":\"standard\",\"collapse\":true,\"trace_context\":false,\"ordering\":\"ordered\","
                        + "\"filter\":{\"workspace_ids\":[\"ws_1\"],\"channel_ids\":[],\"phone_numbers\":[]},"
                        + "\"headers\":{\"X-Key\":\"********\"},\"previous_secret_expires_at\":null,"
                        + "\"created_at\":\"2026-11-22T12:00:00.123Z\",\"updated_at\":\"2026-11-22T12:01:00.123Z\"}");
    }

    @Test
    void anEndpointAsCreatedCarriesWhatTheTrailThenMasks() {
        var created = AuditSnapshots.endpoint(E, true);
        assertThat(created.get("secret").asText()).startsWith("whsec_");
        assertThat(created.get("headers").get("X-Key").asText()).isEqualTo("k1");
        var stored = SecretMask.mask(created);
        assertThat(stored.get("secret").asText()).isEqualTo(SecretMask.MASK);
        assertThat(stored.get("headers").get("X-Key").asText()).isEqualTo(SecretMask.MASK);
    }

    @Test
    void secretsAndTheSmallStates() {
        assertThat(AuditSnapshots.secrets(E).toString())
                .isEqualTo(
                        "{\"secret\":\"whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\","
                                + "\"previous_secret\":null,\"previous_secret_expires_at\":null,\"updated_at\":\"2026-11-22T12:01:00.123Z\"}");
        assertThat(AuditSnapshots.recovered(null, 3).toString()).isEqualTo("{\"since\":null,\"requeued\":3}");
        assertThat(AuditSnapshots.pending().toString()).isEqualTo("{\"status\":\"pending\"}");
        assertThat(AuditSnapshots.resentAs("dlv_1").toString()).isEqualTo("{\"resent_as\":\"dlv_1\"}");
    }
}
