package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.delivery.RetryPolicy;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.sdk.WebhookVerifier;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.TestReceiver.Behaviour;
import io.partnerhooks.server.support.TestReceiver.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Endpoint health, Retry-After, rotation, manual redelivery and isolation, against real receivers. */
public abstract class DeliveryGuaranteesTest extends AppTestBase {
    static final List<Duration> SCHEDULE = RetryPolicy.DEFAULT_SCHEDULE;

    private JsonNode endpointState(String key, String id) {
        Api.Response r = api.get("/v1/endpoints/" + id, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private int attemptsOf(String key, String eventId) {
        return deliveries(key, eventId).get(0).get("attempts").size();
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
    }

    @Test
    void aFailingEndpointCoolsDownGetsOneProbeAtATimeAndRecovers() {
        receiver.always(TestReceiver.status(500));
        String[] p = partner("Cool");
        String ep = endpoint(p[1], receiver.url("/down"), "[\"*\"]").get("id").asText();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            events.add(publish(p[0], ANY_TYPE, "{\"n\":" + i + "}"));
        }
        // from the 5th consecutive failure on, the endpoint is in cooldown and the rest wait unattempted
        await().atMost(WAIT)
                .until(() -> endpointState(p[1], ep).get("state").asText().equals("cooldown"));
        await().during(Duration.ofMillis(800))
                .atMost(WAIT)
                .until(() -> endpointState(p[1], ep).get("consecutive_failures").asInt()
                        == receiver.received().size());
        int sent = receiver.received().size();
        assertThat(sent).isBetween(5, 8);
        JsonNode state = endpointState(p[1], ep);
        assertThat(state.get("state_since").asText()).isEqualTo("2026-11-22T12:00:00.000Z");
        Instant probe = T0.plus(SCHEDULE.get(sent - 5));
        assertThat(state.get("next_probe_at").asText()).isEqualTo(Times.format(probe));

        // everything is due (the deliveries' own retries at +5 s), but nothing goes before the probe time
        moveClock(Duration.between(T0, probe).minusMillis(1));
        await().during(Duration.ofMillis(1200))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == sent);
        assertThat(events.stream().mapToInt(e -> attemptsOf(p[1], e)).sum()).isEqualTo(sent);

        // probe time: exactly one request, which fails; the next probe is further away
        moveClock(Duration.ofMinutes(20));
        Instant probedAt = clock.instant();
        await().atMost(WAIT).until(() -> receiver.received().size() == sent + 1);
        await().during(Duration.ofMillis(1200))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == sent + 1);
        await().atMost(WAIT)
                .until(() -> endpointState(p[1], ep).get("consecutive_failures").asInt() == sent + 1);
        assertThat(endpointState(p[1], ep).get("next_probe_at").asText())
                .isEqualTo(Times.format(probedAt.plus(SCHEDULE.get(sent + 1 - 5))));

        // the endpoint comes back: the next probe succeeds, the cooldown ends, everything goes out
        receiver.always(TestReceiver.status(200));
        moveClock(Duration.ofHours(3));
        await().atMost(WAIT)
                .until(() -> events.stream()
                        .allMatch(e -> deliveries(p[1], e)
                                .get(0)
                                .get("status")
                                .asText()
                                .equals("delivered")));
        JsonNode healed = endpointState(p[1], ep);
        assertThat(healed.get("state").asText()).isEqualTo("active");
        assertThat(healed.get("consecutive_failures").asInt()).isZero();
        assertThat(healed.get("next_probe_at").isNull()).isTrue();
    }

    @Test
    void gone410DisablesAtOnceAndReEnablingReplaysWhatFailed() {
        receiver.then(TestReceiver.status(410));
        String[] p = partner("Gone");
        String ep = endpoint(p[1], receiver.url("/gone"), "[\"*\"]").get("id").asText();
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("failed"));
        JsonNode state = endpointState(p[1], ep);
        assertThat(state.get("enabled").asBoolean()).isFalse();
        assertThat(state.get("state").asText()).isEqualTo("disabled");
        assertThat(state.get("disabled_reason").asText()).contains("410");
        assertThat(state.get("state_since").asText()).isEqualTo("2026-11-22T12:00:00.000Z");

        // disabled: new events do not fan out to it
        String later = publish(p[0], ANY_TYPE, "{}");
        assertThat(deliveries(p[1], later)).isEmpty();

        Api.Response enabled = api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"enabled\":true}");
        assertThat(enabled.status()).isEqualTo(200);
        assertThat(enabled.json().get("state").asText()).isEqualTo("active");
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("delivered"));
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void anEndpointFailingForTheWholeHorizonIsDisabledWithAReason() {
        app.close();
        app = startApp(config().withRetry(List.of(Duration.ofSeconds(5)), Duration.ofSeconds(10)));
        api = new Api(app.port());
        receiver.always(TestReceiver.status(502));
        String[] p = partner("Horizon");
        String ep = endpoint(p[1], receiver.url("/h"), "[\"*\"]").get("id").asText();
        String first = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], first) == 1);
        // a newer event, published before the clock moves (so it cannot race the disabling), keeps
        // the endpoint failing after the first one's horizon has passed
        clock.advance(Duration.ofSeconds(1));
        String second = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], second) == 1);
        moveClock(Duration.ofSeconds(10));
        await().atMost(WAIT)
                .until(() -> endpointState(p[1], ep).get("state").asText().equals("disabled"));
        JsonNode state = endpointState(p[1], ep);
        assertThat(state.get("disabled_reason").asText()).contains("failing continuously since 2026-11-22T12:00:00Z");
        assertThat(state.get("enabled").asBoolean()).isFalse();
        assertThat(deliveries(p[1], second)).hasSize(1);
    }

    @Test
    void perEndpointInFlightAndRateLimitsHoldDeliveriesBackWithoutFailing() throws Exception {
        // a long timeout, so the hanging requests stay in flight for the whole observation
        app.close();
        app = startApp(config().withDeliveryTimeout(Duration.ofSeconds(20)));
        api = new Api(app.port());
        try (TestReceiver hanging = new TestReceiver().always(new Behaviour.Hang())) {
            String[] p = partner("Limits");
            JsonNode narrow = endpoint(p[1], hanging.url("/narrow"), "[\"*\"]");
            Api.Response patched =
                    api.call("PATCH", "/v1/endpoints/" + narrow.get("id").asText(), p[1], "{\"max_in_flight\":2}");
            assertThat(patched.json().get("max_in_flight").asInt()).isEqualTo(2);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                events.add(publish(p[0], ANY_TYPE, "{}"));
            }
            // two requests hang; the other four wait without an attempt being used
            await().atMost(WAIT).until(() -> hanging.received().size() == 2);
            await().during(Duration.ofMillis(800))
                    .atMost(WAIT)
                    .until(() -> hanging.received().size() == 2);
            assertThat(events.stream().mapToInt(e -> attemptsOf(p[1], e)).sum()).isZero();
        }
        String[] q = partner("Rate");
        Api.Response limited = api.post(
                "/v1/endpoints",
                q[1],
                "{\"url\":\"" + receiver.url("/rate") + "\",\"event_types\":[\"*\"],\"rate_limit_per_second\":4}");
        assertThat(limited.status()).as(limited.body()).isEqualTo(201);
        for (int i = 0; i < 9; i++) {
            publish(q[0], ANY_TYPE, "{}");
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 9);
        Instant firstArrival = receiver.received().get(0).arrivedAt();
        Instant lastArrival = receiver.received().get(8).arrivedAt();
        // 4 per second: nine requests need at least two seconds between the first and the last
        assertThat(Duration.between(firstArrival, lastArrival)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    /**
     * ADR 8, rows waiting on the node: fresh deliveries that find every slot of their endpoint busy
     * are still written leased to this node (their due time is the lease's end, not "now") and start
     * as soon as a send finishes, in publish order, with no claim; only those beyond the short line
     * ({@code 4 x max_in_flight}) are written due now for the queue.
     */
    @Test
    void freshDeliveriesForABusyEndpointWaitOnTheNodeNotInTheQueue() throws Exception {
        app.close();
        app = startApp(config().withDeliveryTimeout(Duration.ofSeconds(20)));
        api = new Api(app.port());
        CountDownLatch gate = new CountDownLatch(1);
        try (TestReceiver gated = new TestReceiver().always(new Behaviour.AnswerWhenOpen(gate, 200))) {
            String[] p = partner("Waiting");
            JsonNode ep = endpoint(p[1], gated.url("/one"), "[\"*\"]");
            assertThat(api.call("PATCH", "/v1/endpoints/" + ep.get("id").asText(), p[1], "{\"max_in_flight\":1}")
                            .status())
                    .isEqualTo(200);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                events.add(publish(p[0], ANY_TYPE, "{}"));
            }
            await().atMost(WAIT).until(() -> gated.received().size() == 1);
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> gated.received().size() == 1);
            List<String> due = events.stream()
                    .map(e -> deliveries(p[1], e).get(0).get("next_attempt_at").asText())
                    .toList();
            // one sending and four waiting: leased at insert, due only when the lease would end
            assertThat(due.subList(0, 5))
                    .allSatisfy(d -> assertThat(Instant.parse(d)).isAfter(T0));
            // the line is full: these two went to the queue, due now (the endpoint is saturated, so no claim took them)
            assertThat(due.subList(5, 7)).containsOnly("2026-11-22T12:00:00.000Z");

            gate.countDown();
            await().atMost(WAIT).until(() -> gated.received().size() == 7);
            List<String> arrived =
                    gated.received().stream().map(r -> r.header("webhook-id")).toList();
            assertThat(arrived).doesNotHaveDuplicates();
            assertThat(arrived.subList(0, 5))
                    .as("the waiting rows go in publish order")
                    .isEqualTo(events.subList(0, 5));
            await().atMost(WAIT)
                    .until(() -> events.stream()
                            .allMatch(e -> "delivered"
                                    .equals(deliveries(p[1], e)
                                            .get(0)
                                            .get("status")
                                            .asText())));
            assertThat(events.stream().mapToInt(e -> attemptsOf(p[1], e)).sum()).isEqualTo(7);
        }
    }

    /**
     * Rows that went to the queue because their endpoint's slots and line were full come back in
     * batches: a claim fills half the endpoint's waiting line at a time instead of taking one row
     * for each send that finishes (which cost a claim transaction per delivery, and made a busy
     * endpoint's backlog drain at one claim per answer). Counted by the node's claim counters.
     */
    @Test
    void queuedRowsOfABusyEndpointAreClaimedIntoItsLineInBatches() throws Exception {
        app.close();
        app = startApp(config().withDeliveryTimeout(Duration.ofSeconds(20)));
        api = new Api(app.port());
        CountDownLatch gate = new CountDownLatch(1);
        try (TestReceiver gated = new TestReceiver().always(new Behaviour.AnswerWhenOpen(gate, 200))) {
            String[] p = partner("Batched");
            JsonNode ep = endpoint(p[1], gated.url("/two"), "[\"*\"]");
            assertThat(api.call("PATCH", "/v1/endpoints/" + ep.get("id").asText(), p[1], "{\"max_in_flight\":2}")
                            .status())
                    .isEqualTo(200);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                events.add(publish(p[0], ANY_TYPE, "{}"));
            }
            // two sending, eight waiting on the node, thirty in the queue
            await().atMost(WAIT).until(() -> gated.received().size() == 2);
            long claims = app.dispatcher().claims();
            long rows = app.dispatcher().claimedRows();
            gate.countDown();
            await().atMost(WAIT).until(() -> gated.received().size() == 40);
            await().atMost(WAIT)
                    .until(() -> events.stream()
                            .allMatch(e -> "delivered"
                                    .equals(deliveries(p[1], e)
                                            .get(0)
                                            .get("status")
                                            .asText())));
            long claimedRows = app.dispatcher().claimedRows() - rows;
            long claimCount = app.dispatcher().claims() - claims;
            assertThat(claimedRows)
                    .as("the queued rows came back through claims")
                    .isEqualTo(30);
            assertThat(claimCount)
                    .as("%d claims for %d rows", claimCount, claimedRows)
                    .isLessThanOrEqualTo(claimedRows / 3);
            assertThat(gated.received().stream()
                            .map(r -> r.header("webhook-id"))
                            .toList())
                    .doesNotHaveDuplicates();
            assertThat(events.stream().mapToInt(e -> attemptsOf(p[1], e)).sum()).isEqualTo(40);
        }
    }

    /**
     * The node's send cap counts sends until their outcome is written, so it can be full while an
     * endpoint's own sends are done and only committing. Rows waiting in that endpoint's line then
     * find no slot on the node, and nothing may leave them there: the bench's PostgreSQL backlog
     * (2026-12-04) stopped for good with 188 rows in six lines, each endpoint idle.
     */
    @Test
    void rowsWaitingOnTheNodeStartWhenTheNodesSendCapFreesUp() throws Exception {
        app.close();
        app = startApp(config().withDeliveryConcurrency(3).withDeliveryTimeout(Duration.ofSeconds(20)));
        api = new Api(app.port());
        CountDownLatch gateA = new CountDownLatch(1);
        CountDownLatch gateB = new CountDownLatch(1);
        try (TestReceiver a = new TestReceiver().always(new Behaviour.AnswerWhenOpen(gateA, 200));
                TestReceiver b = new TestReceiver().always(new Behaviour.AnswerWhenOpen(gateB, 200))) {
            String[] pa = partner("Lined");
            JsonNode epA = endpoint(pa[1], a.url("/a"), "[\"*\"]");
            assertThat(api.call("PATCH", "/v1/endpoints/" + epA.get("id").asText(), pa[1], "{\"max_in_flight\":1}")
                            .status())
                    .isEqualTo(200);
            String[] pb = partner("Holding");
            JsonNode epB = endpoint(pb[1], b.url("/b"), "[\"*\"]");
            assertThat(api.call("PATCH", "/v1/endpoints/" + epB.get("id").asText(), pb[1], "{\"max_in_flight\":2}")
                            .status())
                    .isEqualTo(200);
            // A: one sending, three waiting on the node (the line is bounded by the node's cap, 3)
            for (int i = 0; i < 4; i++) {
                publish(pa[0], ANY_TYPE, "{}");
            }
            await().atMost(WAIT).until(() -> a.received().size() == 1);
            // B takes the node's two other send slots and keeps them
            publish(pb[0], ANY_TYPE, "{}");
            publish(pb[0], ANY_TYPE, "{}");
            await().atMost(WAIT).until(() -> b.received().size() == 2);
            // A's send is answered while the node is full: its line must still be worked off
            gateA.countDown();
            await().atMost(WAIT).untilAsserted(() -> assertThat(a.received()).hasSize(4));
            gateB.countDown();
            await().atMost(WAIT).until(() -> b.received().size() == 2);
            assertThat(a.received().stream().map(r -> r.header("webhook-id")).toList())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void retryAfterIsHonouredWithinItsClamps() {
        receiver.then(
                new Behaviour.Answer(503, "busy", Map.of("Retry-After", "20")),
                new Behaviour.Answer(429, "slow down", Map.of("Retry-After", "1")));
        String[] p = partner("Busy");
        endpoint(p[1], receiver.url("/busy"), "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        // asked 20 s, scheduled 5 s: at most twice the schedule
        assertThat(deliveries(p[1], eventId).get(0).get("next_attempt_at").asText())
                .isEqualTo("2026-11-22T12:00:10.000Z");
        moveClock(Duration.ofSeconds(10));
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 2);
        // asked 1 s after a 429: never sooner than 60 s
        assertThat(deliveries(p[1], eventId).get(0).get("next_attempt_at").asText())
                .isEqualTo("2026-11-22T12:01:10.000Z");
    }

    @Test
    void aRotatedSecretSignsBesideTheOldOneDuringTheOverlap() {
        String[] p = partner("Rotate");
        JsonNode ep = endpoint(p[1], receiver.url("/rot"), "[\"*\"]");
        String id = ep.get("id").asText();
        String oldSecret = ep.get("secret").asText();
        Api.Response rotated = api.post("/v1/endpoints/" + id + "/secret/rotate", p[1], "{\"overlap_hours\":2}");
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String newSecret = rotated.json().get("secret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(rotated.json().get("previous_secret_expires_at").asText()).isEqualTo("2026-11-22T14:00:00.000Z");
        assertThat(api.get("/v1/endpoints/" + id + "/secret", p[1])
                        .json()
                        .get("secret")
                        .asText())
                .isEqualTo(newSecret);

        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        Received r = receiver.received().get(0);
        assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
        new WebhookVerifier(oldSecret)
                .verify(
                        r.body(),
                        r.header("webhook-id"),
                        r.header("webhook-timestamp"),
                        r.header("webhook-signature"),
                        clock.instant());
        new WebhookVerifier(newSecret)
                .verify(
                        r.body(),
                        r.header("webhook-id"),
                        r.header("webhook-timestamp"),
                        r.header("webhook-signature"),
                        clock.instant());

        // after the overlap only the new secret signs
        moveClock(Duration.ofHours(2));
        publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        Received after = receiver.received().get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        new WebhookVerifier(newSecret)
                .verify(
                        after.body(),
                        after.header("webhook-id"),
                        after.header("webhook-timestamp"),
                        after.header("webhook-signature"),
                        clock.instant());
    }

    @Test
    void signingSecretsAreEncryptedAtRest() throws Exception {
        String[] p = partner("Vault");
        JsonNode ep = endpoint(p[1], receiver.url("/v"), "[\"*\"]");
        String secret = ep.get("secret").asText();
        api.post("/v1/endpoints/" + ep.get("id").asText() + "/secret/rotate", p[1], "{}");
        List<String> stored = app.store()
                .jdbc()
                .query("SELECT secret, previous_secret FROM endpoints", rs -> rs.getString(1) + "|" + rs.getString(2));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0))
                .startsWith("enc1:")
                .contains("|enc1:")
                .doesNotContain("whsec_")
                .doesNotContain(secret.substring(6));
    }

    @Test
    void customHeaderValuesAreEncryptedAtRest() {
        String k = partner("Vault")[1];
        Api.Response r = api.post(
                "/v1/endpoints",
                k,
                "{\"url\":\"" + receiver.url("/v")
                        + "\",\"event_types\":[\"*\"],\"headers\":{\"Authorization\":\"Bearer sk-live-4242\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<String> stored = app.store().jdbc().query("SELECT headers FROM endpoints", rs -> rs.getString(1));
        assertThat(stored)
                .singleElement()
                .asString()
                .startsWith("enc1:")
                .doesNotContain("sk-live-4242")
                .doesNotContain("Authorization");
    }

    @Test
    void aDeliveredDeliveryCanBeResentWithTheSameWebhookId() throws Exception {
        String[] p = partner("Resender");
        endpoint(p[1], receiver.url("/r"), "[\"*\"]");
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("delivered"));
        String first = deliveries(p[1], eventId).get(0).get("id").asText();

        Api.Response resent = api.post("/v1/deliveries/" + first + "/resend", p[1], null);
        assertThat(resent.status()).as(resent.body()).isEqualTo(202);
        String second = resent.json().get("id").asText();
        assertThat(second).startsWith("dlv_").isNotEqualTo(first);
        assertThat(resent.json().get("resent_from").asText()).isEqualTo(first);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        // a resend looks like a retry to the receiver: same webhook-id, fresh signature
        assertThat(receiver.received().get(1).header("webhook-id"))
                .isEqualTo(eventId)
                .isEqualTo(receiver.received().get(0).header("webhook-id"));
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], eventId).size() == 2
                        && deliveries(p[1], eventId)
                                .get(1)
                                .get("status")
                                .asText()
                                .equals("delivered"));
        // the first delivery keeps its own history
        assertThat(deliveries(p[1], eventId).get(0).get("id").asText()).isEqualTo(first);

        // a pending delivery is for retry, not resend; unknown and foreign ids are 404
        receiver.always(TestReceiver.status(500));
        String failing = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], failing) == 1);
        String pending = deliveries(p[1], failing).get(0).get("id").asText();
        Api.Response conflict = api.post("/v1/deliveries/" + pending + "/resend", p[1], null);
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith("application/problem+json");
        String other = partner("Other")[1];
        assertThat(api.post("/v1/deliveries/" + first + "/resend", other, null).status())
                .isEqualTo(404);
        assertThat(api.post("/v1/deliveries/dlv_nope/resend", p[1], null).status())
                .isEqualTo(404);
    }

    @Test
    void aPartnerCanRetryNowAndRecoverFailures() throws Exception {
        receiver.then(TestReceiver.status(500));
        String[] p = partner("Manual");
        String ep = endpoint(p[1], receiver.url("/m"), "[\"*\"]").get("id").asText();
        String eventId = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], eventId) == 1);
        String deliveryId = deliveries(p[1], eventId).get(0).get("id").asText();
        // a new attempt now, without waiting for the schedule
        Api.Response retry = api.post("/v1/deliveries/" + deliveryId + "/retry", p[1], null);
        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], eventId).get(0).get("status").asText().equals("delivered"));
        Api.Response again = api.post("/v1/deliveries/" + deliveryId + "/retry", p[1], null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");

        // recover: failed deliveries since a time go out again
        app.close();
        app = startApp(
                config().withRetry(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30)), Duration.ofSeconds(10)));
        api = new Api(app.port());
        receiver.always(TestReceiver.status(500));
        String failing = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> attemptsOf(p[1], failing) == 1);
        moveClock(Duration.ofSeconds(5));
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], failing).get(0).get("status").asText().equals("failed"));
        receiver.always(TestReceiver.status(200));
        Api.Response bad = api.post("/v1/endpoints/" + ep + "/recover", p[1], "{\"since\":\"yesterday\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("since");
        Api.Response rec = api.post("/v1/endpoints/" + ep + "/recover", p[1], "{\"since\":\"2026-11-22T11:00:00Z\"}");
        assertThat(rec.status()).as(rec.body()).isEqualTo(202);
        assertThat(rec.json().get("requeued").asInt()).isEqualTo(1);
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], failing).get(0).get("status").asText().equals("delivered"));
    }

    @Test
    void hangingEndpointsDoNotSlowAHealthyOne() throws Exception {
        // No wall-clock bound here (the benchmark measures isolation): the hanging requests are given
        // a timeout far longer than the test, so every healthy delivery that arrives has provably
        // gone out while all of them were still holding their slots.
        app.close();
        app = startApp(config().withDeliveryTimeout(Duration.ofSeconds(50)));
        api = new Api(app.port());
        try (TestReceiver hanging = new TestReceiver().always(new Behaviour.Hang())) {
            List<String[]> slowPartners = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String[] sp = partner("Slow" + i);
                slowPartners.add(sp);
                for (int e = 0; e < 10; e++) {
                    endpoint(sp[1], hanging.url("/hang/" + i + "/" + e), "[\"*\"]");
                }
            }
            String[] healthy = partner("Healthy");
            endpoint(healthy[1], receiver.url("/fast"), "[\"*\"]");
            // the healthy partner also owns a hanging endpoint, subscribed to the same events
            endpoint(healthy[1], hanging.url("/hang/own"), "[\"*\"]");
            for (String[] sp : slowPartners) {
                for (int k = 0; k < 3; k++) {
                    publish(sp[0], ANY_TYPE, "{}");
                }
            }
            // the hanging endpoints hold their requests open (150 of them, all in flight at once)
            await().atMost(WAIT).until(() -> hanging.received().size() >= 100);
            long worstMs = 0;
            for (int i = 0; i < 20; i++) {
                int before = receiver.received().size();
                long t0 = System.nanoTime();
                publish(healthy[0], ANY_TYPE, "{\"i\":" + i + "}");
                await().atMost(WAIT).until(() -> receiver.received().size() == before + 1);
                worstMs = Math.max(worstMs, (System.nanoTime() - t0) / 1_000_000);
            }
            System.out.println("isolation: 51 hanging endpoints, 20 healthy deliveries, worst publish->receipt "
                    + worstMs + " ms");
            assertThat(receiver.received()).hasSize(20);
            // ... and not one hanging request has finished (no attempt recorded) meanwhile
            for (String[] sp : slowPartners) {
                for (JsonNode e : api.get("/v1/events", sp[1]).json().get("data")) {
                    for (JsonNode d : deliveries(sp[1], e.get("id").asText())) {
                        assertThat(d.get("attempts").size())
                                .as("a hanging endpoint's attempt")
                                .isZero();
                    }
                }
            }
        }
    }
}
