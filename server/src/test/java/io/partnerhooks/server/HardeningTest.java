package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "hardening from outside": what an attacker or a careless client found, each kept as a
 * test so it cannot come back. Runs on both databases (see the Sqlite / Postgres subclasses).
 */
abstract class HardeningTest extends AppTestBase {

    /** Every request_headers value the database holds, as stored. */
    List<String> storedRequestHeaders() {
        return app.store().jdbc().query("SELECT request_headers FROM attempts", rs -> rs.getString(1));
    }

    @Test
    void secretsInTheDeliveryLogAreMaskedInTheApiTheDashboardAndTheDatabase() throws Exception {
        String[] p = partner("acme");
        Api.Response created = api.post("/v1/endpoints", p[1], "{\"url\":\"" + receiver.url("/tl")
                + "\",\"event_types\":[\"*\"],\"format\":\"timelinesai\",\"headers\":{\"X-Api-Key\":\"custom-credential-77\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String eventId = publish(p[0], "workspace.seats.exhausted", "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        var sent = receiver.received().get(0);
        String jwt = sent.header("x-tl-signature");
        String sig = sent.header("webhook-signature");
        assertThat(sent.header("X-Api-Key")).isEqualTo("custom-credential-77");
        assertThat(jwt).contains(".");

        String deliveryId = deliveries(p[1], eventId).get(0).get("id").asText();
        await().atMost(WAIT).until(() -> api.get("/v1/deliveries/" + deliveryId, p[1]).json().get("attempts").size() == 1);
        Api.Response d = api.get("/v1/deliveries/" + deliveryId, p[1]);
        JsonNode headers = d.json().get("attempts").get(0).get("request").get("headers");
        assertThat(headers.get("X-Api-Key").asText()).isEqualTo("********");
        assertThat(headers.get("x-tl-signature").asText()).isEqualTo("***");
        assertThat(headers.get("webhook-signature").asText()).isEqualTo("v1,***");
        assertThat(headers.get("x-tl-partner-id").asText()).isEqualTo(p[0]);
        assertThat(d.body()).doesNotContain("custom-credential-77").doesNotContain(jwt)
                .doesNotContain(sig.substring(3));

        assertThat(storedRequestHeaders()).hasSize(1).allSatisfy(h -> assertThat(h)
                .doesNotContain("custom-credential-77").doesNotContain(jwt).doesNotContain(sig.substring(3)));
    }
}
