package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, superseded state: on an endpoint with {@code collapse: true}, a newer event of a
 * collapsible type supersedes the same key's still-waiting deliveries, which are never sent;
 * what is being sent right now is left alone. Real database, real receiver, frozen clock.
 */
public abstract class CollapseTest extends AppTestBase {
    private static final String QUALITY = "phone_number.quality.changed";

    private String quality(String partnerId, String channel, String rating) {
        String body = "{\"type\":\"" + QUALITY + "\",\"partner_id\":\"" + partnerId
                + "\",\"subject\":{\"channel_id\":\"" + channel + "\"},\"data\":"
                + validData(QUALITY, "{\"current_limit\":\"" + rating + "\"}") + "}";
        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private JsonNode collapsingEndpoint(String key, String path) {
        Api.Response r = api.post(
                "/v1/endpoints",
                key,
                "{\"url\":\"" + receiver.url(path)
                        + "\",\"event_types\":[\"phone_number.*\",\"channel.*\"],\"collapse\":true}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("collapse").asBoolean()).isTrue();
        return r.json();
    }

    /** The event's delivery to one endpoint. */
    private JsonNode delivery(String key, String eventId, String endpointId) {
        for (JsonNode d : deliveries(key, eventId)) {
            if (d.get("endpoint_id").asText().equals(endpointId)) {
                return d;
            }
        }
        throw new AssertionError("no delivery of " + eventId + " to " + endpointId);
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
    }

    @Test
    void anEndpointDownForHoursGetsOnlyTheLatestStateOnceItRecovers() {
        receiver.always(TestReceiver.status(500));
        String[] p = partner("Collapse");
        String collapsing = collapsingEndpoint(p[1], "/latest").get("id").asText();
        String plain = endpoint(p[1], receiver.url("/all"), "[\"phone_number.*\"]")
                .get("id")
                .asText();
        assertThat(api.get("/v1/endpoints/" + plain, p[1])
                        .json()
                        .get("collapse")
                        .asBoolean())
                .isFalse();

        // another channel's state, waiting for its retry: a different key, so never superseded
        String other = quality(p[0], "ch_other", "TIER_1K");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], other, collapsing).get("attempts").size() == 1
                        && delivery(p[1], other, plain).get("attempts").size() == 1);
        List<String> ids = new ArrayList<>();
        for (String rating : List.of("TIER_250", "TIER_1K", "TIER_10K", "TIER_100K")) {
            String id = quality(p[0], "ch_q", rating);
            ids.add(id);
            // each goes out at once (the fast path), fails and waits for its retry before the next comes
            await().atMost(WAIT)
                    .until(() -> delivery(p[1], id, collapsing).get("attempts").size() == 1
                            && delivery(p[1], id, plain).get("attempts").size() == 1);
        }
        // five failures in a row: both endpoints cool down, so what comes now waits unclaimed
        await().atMost(WAIT)
                .until(() -> api.get("/v1/endpoints/" + collapsing, p[1])
                                .json()
                                .get("state")
                                .asText()
                                .equals("cooldown")
                        && api.get("/v1/endpoints/" + plain, p[1])
                                .json()
                                .get("state")
                                .asText()
                                .equals("cooldown"));
        ids.add(quality(p[0], "ch_q", "TIER_UNLIMITED"));
        String latest = quality(p[0], "ch_q", "TIER_2K");
        ids.add(latest);
        assertThat(delivery(p[1], ids.get(4), collapsing).get("attempts")).isEmpty();

        for (String id : ids.subList(0, ids.size() - 1)) {
            assertThat(delivery(p[1], id, collapsing).get("status").asText())
                    .as(id)
                    .isEqualTo("superseded");
            assertThat(delivery(p[1], id, collapsing).get("next_attempt_at").isNull())
                    .isTrue();
            assertThat(delivery(p[1], id, plain).get("status").asText()).as(id).isEqualTo("pending");
        }
        assertThat(delivery(p[1], latest, collapsing).get("status").asText()).isEqualTo("pending");
        assertThat(delivery(p[1], other, collapsing).get("status").asText()).isEqualTo("pending");
        int before = receiver.received().size();

        // hours later the receiver is back: the collapsing endpoint gets the latest state only
        receiver.always(TestReceiver.status(200));
        moveClock(Duration.ofHours(3));
        await().atMost(WAIT)
                .until(() -> delivery(p[1], latest, collapsing)
                                .get("status")
                                .asText()
                                .equals("delivered")
                        && delivery(p[1], other, collapsing)
                                .get("status")
                                .asText()
                                .equals("delivered"));
        await().atMost(WAIT)
                .until(() -> ids.stream()
                        .allMatch(id ->
                                delivery(p[1], id, plain).get("status").asText().equals("delivered")));

        List<String> toCollapsing = receiver
                .received()
                .subList(before, receiver.received().size())
                .stream()
                .filter(r -> r.path().equals("/latest"))
                .map(r -> r.header("webhook-id"))
                .toList();
        assertThat(toCollapsing).containsExactlyInAnyOrder(latest, other);
        for (String id : ids.subList(0, ids.size() - 1)) {
            assertThat(delivery(p[1], id, collapsing).get("status").asText()).isEqualTo("superseded");
        }
        // the endpoint's own list can filter on the new status
        Api.Response list = api.get("/v1/endpoints/" + collapsing + "/deliveries?status=superseded", p[1]);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().get("data")).hasSize(ids.size() - 1);
        String m = api.get("/metrics", null).body();
        assertThat(m)
                .contains("partnerhooks_deliveries_completed_total{outcome=\"superseded\"} " + (ids.size() - 1) + ".0")
                .contains("partnerhooks_deliveries_total{outcome=\"superseded\"} " + (ids.size() - 1) + ".0");

        // the partner can still send a superseded one on purpose: resend makes a new delivery of it ...
        String second = delivery(p[1], ids.get(1), collapsing).get("id").asText();
        Supplier<Long> arrivedAtLatest = () -> receiver.received().stream()
                .filter(r -> r.path().equals("/latest") && ids.get(1).equals(r.header("webhook-id")))
                .count();
        long arrivedBefore = arrivedAtLatest.get();
        Api.Response resent = api.post("/v1/deliveries/" + second + "/resend", p[1], null);
        assertThat(resent.status()).as(resent.body()).isEqualTo(202);
        await().atMost(WAIT).until(() -> arrivedAtLatest.get() == arrivedBefore + 1);
        assertThat(delivery(p[1], ids.get(1), collapsing).get("status").asText())
                .isEqualTo("superseded");
        // ... and retry sends the superseded row itself
        String dlv = delivery(p[1], ids.get(0), collapsing).get("id").asText();
        Api.Response retry = api.post("/v1/deliveries/" + dlv + "/retry", p[1], null);
        assertThat(retry.status()).as(retry.body()).isBetween(200, 202);
        await().atMost(WAIT)
                .until(() -> delivery(p[1], ids.get(0), collapsing)
                        .get("status")
                        .asText()
                        .equals("delivered"));
    }

    @Test
    void aDeliveryBeingSentIsNotSupersededAndOtherTypesDoNotCollapse() {
        // the first request hangs until the delivery timeout: in flight while the next event comes
        receiver.then(new TestReceiver.Behaviour.Hang());
        String[] p = partner("InFlight");
        String ep = collapsingEndpoint(p[1], "/busy").get("id").asText();
        String first = quality(p[0], "ch_f", "TIER_250");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        String second = quality(p[0], "ch_f", "TIER_1K");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first, ep).get("attempts").size() == 1
                        && delivery(p[1], second, ep).get("status").asText().equals("delivered"));
        // the hung attempt timed out and waits for its retry: pending, not superseded
        assertThat(delivery(p[1], first, ep).get("status").asText()).isEqualTo("pending");

        // channel.* is not a state type: a newer event of it supersedes nothing
        receiver.always(TestReceiver.status(500));
        String live1 = publishLive(p[0], "ch_f");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], live1, ep).get("attempts").size() == 1);
        String live2 = publishLive(p[0], "ch_f");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], live2, ep).get("attempts").size() == 1);
        assertThat(delivery(p[1], live1, ep).get("status").asText()).isEqualTo("pending");
    }

    private String publishLive(String partnerId, String channel) {
        String body = "{\"type\":\"channel.live\",\"partner_id\":\"" + partnerId + "\",\"subject\":{\"channel_id\":\""
                + channel + "\"},\"data\":" + validData("channel.live", "{}") + "}";
        Api.Response r = api.post("/platform/v1/events", OPERATOR, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    @Test
    void collapseIsSetAndClearedByUpdateAndMustBeABoolean() {
        String[] p = partner("Flag");
        String id = endpoint(p[1], receiver.url("/f"), "[\"*\"]").get("id").asText();
        Api.Response on = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"collapse\":true}");
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        assertThat(api.get("/v1/endpoints/" + id, p[1]).json().get("collapse").asBoolean())
                .isTrue();
        // an update that does not name it keeps it
        assertThat(api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"description\":\"x\"}")
                        .json()
                        .get("collapse")
                        .asBoolean())
                .isTrue();
        assertThat(api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"collapse\":false}")
                        .json()
                        .get("collapse")
                        .asBoolean())
                .isFalse();
        Api.Response bad = api.call("PATCH", "/v1/endpoints/" + id, p[1], "{\"collapse\":\"yes\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").findValuesAsText("field")).contains("collapse");
    }
}
