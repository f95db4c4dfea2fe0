package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.server.support.Api;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.Assertions;
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
        Api.Response created = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/tl")
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
        await().atMost(WAIT)
                .until(() -> api.get("/v1/deliveries/" + deliveryId, p[1])
                                .json()
                                .get("attempts")
                                .size()
                        == 1);
        Api.Response d = api.get("/v1/deliveries/" + deliveryId, p[1]);
        JsonNode headers = d.json().get("attempts").get(0).get("request").get("headers");
        assertThat(headers.get("X-Api-Key").asText()).isEqualTo("********");
        assertThat(headers.get("x-tl-signature").asText()).isEqualTo("***");
        assertThat(headers.get("webhook-signature").asText()).isEqualTo("v1,***");
        assertThat(headers.get("x-tl-partner-id").asText()).isEqualTo(p[0]);
        assertThat(d.body())
                .doesNotContain("custom-credential-77")
                .doesNotContain(jwt)
                .doesNotContain(sig.substring(3));

        assertThat(storedRequestHeaders())
                .hasSize(1)
                .allSatisfy(h -> assertThat(h)
                        .doesNotContain("custom-credential-77")
                        .doesNotContain(jwt)
                        .doesNotContain(sig.substring(3)));
    }

    // ---- 2. one number, one owner ----

    private void client(String partnerId, String clientId) {
        Api.Response r = api.call(
                "PUT",
                "/platform/v1/clients/" + clientId,
                OPERATOR,
                "{\"partner_id\":\"" + partnerId + "\",\"name\":\"Shop\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private Api.Response putChannel(
            String channelId, String partnerId, String clientId, String phoneNumberId, String wabaId) {
        return api.call(
                "PUT",
                "/platform/v1/channels/" + channelId,
                OPERATOR,
                "{\"partner_id\":\"" + partnerId
                        + "\",\"client_id\":\"" + clientId
                        + "\",\"phone_number\":\"+4915112345678\",\"phone_number_id\":\""
                        + phoneNumberId + "\",\"waba_id\":\"" + wabaId + "\"}");
    }

    private static void assertConflictOn(Api.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    @Test
    void aPhoneNumberIdBelongsToOneChannelAndAWabaIdToOnePartner() {
        String[] a = partner("A");
        String[] b = partner("B");
        client(a[0], "cl_a");
        client(b[0], "cl_b");
        assertThat(putChannel("ch_a1", a[0], "cl_a", "1065401", "1022901").status())
                .isEqualTo(200);

        // another partner's channel cannot take the number; the operator is told which channel holds it
        Api.Response stolen = putChannel("ch_b1", b[0], "cl_b", "1065401", "1022902");
        assertConflictOn(stolen, "phone_number_id");
        assertThat(stolen.json().get("detail").asText()).contains("ch_a1");
        // nor can a second channel of the same partner
        assertConflictOn(putChannel("ch_a2", a[0], "cl_a", "1065401", "1022901"), "phone_number_id");
        // a WABA is one partner's: its other numbers may join it, another partner's may not
        assertConflictOn(putChannel("ch_b1", b[0], "cl_b", "1065402", "1022901"), "waba_id");
        assertThat(putChannel("ch_a2", a[0], "cl_a", "1065403", "1022901").status())
                .isEqualTo(200);
        // repeating a channel's own number is fine
        assertThat(putChannel("ch_a1", a[0], "cl_a", "1065401", "1022901").status())
                .isEqualTo(200);
        assertThat(app.store().entities().findAny("channel", "ch_b1")).isEmpty();
    }

    @Test
    void theUniqueIndexRefusesASecondChannelOnANumberEvenPastTheCheck() {
        String[] a = partner("A");
        client(a[0], "cl_a");
        assertThat(putChannel("ch_a1", a[0], "cl_a", "1065401", "1022901").status())
                .isEqualTo(200);
        // what a racing node would write after both passed the pre-check
        String state = "{\"id\":\"ch_a2\",\"phone_number_id\":\"1065401\",\"waba_account\":{}}";
        Assertions.assertThatThrownBy(() -> app.store()
                        .entities()
                        .change(
                                "channel",
                                "ch_a2",
                                current ->
                                        new EntityStore.Outcome(new Entity("channel", "ch_a2", a[0], state), List.of()),
                                Instant.now()))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.field()).isEqualTo("phone_number_id"));
        // and a WABA claimed by one partner cannot be claimed by another in the store either
        String[] b = partner("B");
        String other = "{\"id\":\"ch_b1\",\"phone_number_id\":\"1065409\",\"waba_account\":{\"id\":\"1022901\"}}";
        Assertions.assertThatThrownBy(() -> app.store()
                        .entities()
                        .change(
                                "channel",
                                "ch_b1",
                                current -> new EntityStore.Outcome(
                                        new Entity("channel", "ch_b1", b[0], other),
                                        List.of(),
                                        List.of(new EntityStore.Claim("waba_id", "1022901"))),
                                Instant.now()))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.field()).isEqualTo("waba_id"));
        assertThat(app.store().entities().findAny("channel", "ch_a2")).isEmpty();
        assertThat(app.store().entities().findAny("channel", "ch_b1")).isEmpty();
    }

    @Test
    void channelsRacingForOneNumberGetOne200AndOtherwise409() throws Exception {
        String[] a = partner("A");
        client(a[0], "cl_a");
        int n = 8;
        var pool = Executors.newFixedThreadPool(n);
        try {
            var start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "ch_r" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return putChannel(id, a[0], "cl_a", "1065477", "1022977").status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (var f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(n - 1);
        } finally {
            pool.shutdownNow();
        }
    }
}
