package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import io.partnerhooks.server.support.TestReceiver.Received;
import io.partnerhooks.server.support.UiBrowser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, ordered delivery (ADR 11): on an endpoint with {@code ordering: "ordered"} the
 * deliveries sharing an ordering key go one at a time in sequence order, a failing key holds back
 * only itself, and a delivery waiting behind its key's head names it in {@code held_by}. Real
 * database, real receiver, frozen clock (retries go when the test moves it), a one-second retry
 * schedule.
 */
public abstract class OrderedDeliveryTest extends AppTestBase {
    private static final String TYPE = "package.updated";
    private static final String STUCK = "ch_stuck";

    @Override
    Config config() {
        return super.config().withRetry(List.of(Duration.ofSeconds(1)), Duration.ofHours(1));
    }

    /** Per ordering key: requests of it at the receiver right now, and the most there ever were at once. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private final List<String> overlaps = new CopyOnWriteArrayList<>();

    /**
     * Answers 500 to the first {@code failures} requests for {@code failing} (an event id), 200 to
     * everything else; each answer takes a few milliseconds, and two requests of one key at the
     * receiver at once are noted.
     */
    private TestReceiver.Behaviour answering(String[] failing, int failures) {
        AtomicInteger failed = new AtomicInteger();
        return new TestReceiver.Behaviour.Decide(r -> {
            String key = r.header("webhook-ordering-key");
            AtomicInteger n = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            if (n.incrementAndGet() > 1) {
                overlaps.add(key + " " + r.header("webhook-sequence"));
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                n.decrementAndGet();
            }
            boolean fail = r.header("webhook-id").equals(failing[0]) && failed.getAndIncrement() < failures;
            return TestReceiver.status(fail ? 500 : 200);
        });
    }

    private String orderedEndpoint(String key) {
        Api.Response r = api.post(
                "/v1/endpoints",
                key,
                "{\"url\":\"" + receiver.url("/ordered") + "\",\"event_types\":[\"" + TYPE
                        + "\"],\"ordering\":\"ordered\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("ordering").asText()).isEqualTo("ordered");
        return r.json().get("id").asText();
    }

    private static String event(String partnerId, String channel) {
        return "{\"type\":\"" + TYPE + "\",\"partner_id\":\"" + partnerId + "\",\"subject\":{\"channel_id\":\""
                + channel + "\"},\"data\":" + validData(TYPE, "{}") + "}";
    }

    private String publishOne(String partnerId, String channel) {
        Api.Response r = api.post("/platform/v1/events", OPERATOR, event(partnerId, channel));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private List<String> publishBatch(String partnerId, List<String> channels) {
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = 0; i < channels.size(); i++) {
            b.append(i == 0 ? "" : ",").append(event(partnerId, channels.get(i)));
        }
        Api.Response r =
                api.post("/platform/v1/events/batch", OPERATOR, b.append("]}").toString());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        r.json().get("data").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private JsonNode delivery(String key, String eventId) {
        JsonNode ds = deliveries(key, eventId);
        assertThat(ds).hasSize(1);
        return ds.get(0);
    }

    /** Receipts per ordering key, in arrival order: their webhook-sequence values. */
    private Map<String, List<Long>> sequencesByKey(List<Received> got) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (Received r : got) {
            out.computeIfAbsent(r.header("webhook-ordering-key"), k -> new ArrayList<>())
                    .add(Long.parseLong(r.header("webhook-sequence")));
        }
        return out;
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
    }

    @Test
    void aFailingKeyHoldsBackOnlyItselfAndItsEventsArriveInSequenceAfterIt() throws Exception {
        String[] p = partner("Ordered");
        String ep = orderedEndpoint(p[1]);
        String[] first = {null};
        receiver.always(answering(first, 4));

        // the stuck key's first event fails at once and waits for its retry (the clock stands still)
        first[0] = publishOne(p[0], STUCK);
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first[0]).get("attempts").size() == 1);

        // 99 more of the stuck key one by one, and 1,000 of 50 other keys in batches (several
        // events of one key in one commit), interleaved
        List<String> stuckIds = new ArrayList<>(List.of(first[0]));
        List<String> otherIds = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 10 && stuckIds.size() < 100; i++) {
                stuckIds.add(publishOne(p[0], STUCK));
            }
            List<String> channels = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                channels.add("ch_k" + ((round * 100 + i) % 50));
            }
            otherIds.addAll(publishBatch(p[0], channels));
        }
        assertThat(stuckIds).hasSize(100);
        assertThat(otherIds).hasSize(1_000);

        // the other keys flow at full speed while the stuck key waits
        await().atMost(WAIT)
                .until(() -> receiver.received().stream()
                                .filter(r -> !r.header("webhook-ordering-key").equals("channel_id:" + STUCK))
                                .count()
                        >= 1_000);
        List<Received> meanwhile = receiver.received();
        assertThat(meanwhile.stream()
                        .filter(r -> r.header("webhook-ordering-key").equals("channel_id:" + STUCK)))
                .as("only the stuck key's head was sent")
                .hasSize(1);
        String headDelivery = delivery(p[1], first[0]).get("id").asText();
        for (String id : List.of(stuckIds.get(1), stuckIds.get(50), stuckIds.get(99))) {
            JsonNode d = delivery(p[1], id);
            assertThat(d.get("status").asText()).isEqualTo("pending");
            assertThat(d.get("held_by").asText())
                    .as("held behind the key's head")
                    .isEqualTo(headDelivery);
            assertThat(d.get("next_attempt_at").isNull()).isTrue();
            assertThat(d.get("attempts")).isEmpty();
        }
        assertThat(delivery(p[1], first[0]).get("held_by").isNull()).isTrue();
        assertThat(delivery(p[1], otherIds.get(0)).get("status").asText()).isEqualTo("delivered");
        // the dashboard says so too: on the event's page and in the endpoint's delivery list
        var ui = new UiBrowser(app.port());
        ui.signIn(p[1]);
        assertThat(ui.get("/ui/events/" + stuckIds.get(1)).body())
                .contains("<b>Held</b> behind <code>" + headDelivery
                        + "</code>, the earlier delivery of its ordering key");
        assertThat(ui.get("/ui/endpoints/" + ep + "?status=pending").body())
                .contains("ordered (one delivery per ordering key")
                .contains("(held by " + headDelivery + ")");

        // three more failures, then the receiver takes it: the rest of the key follows in sequence
        for (int attempt = 2; attempt <= 5; attempt++) {
            int n = attempt;
            moveClock(Duration.ofSeconds(2));
            await().atMost(WAIT)
                    .until(() -> delivery(p[1], first[0]).get("attempts").size() == n);
        }
        await().atMost(WAIT)
                .until(() -> stuckIds.stream()
                        .allMatch(
                                id -> delivery(p[1], id).get("status").asText().equals("delivered")));

        List<Received> all = receiver.received();
        Map<String, List<Long>> byKey = sequencesByKey(all);
        List<Long> stuck = byKey.get("channel_id:" + STUCK);
        // the head five times (four failures, one success), then 2..100 in order, each once
        assertThat(stuck.subList(0, 5)).containsOnly(1L);
        List<Long> expected = new ArrayList<>();
        for (long s = 2; s <= 100; s++) {
            expected.add(s);
        }
        assertThat(stuck.subList(5, stuck.size())).isEqualTo(expected);
        // every other key: its 20 events once each, in sequence order
        for (int k = 0; k < 50; k++) {
            List<Long> seqs = byKey.get("channel_id:ch_k" + k);
            assertThat(seqs).as("ch_k" + k).hasSize(20).isSorted().doesNotHaveDuplicates();
        }
        assertThat(overlaps)
                .as("two requests of one key at the receiver at once")
                .isEmpty();
        assertThat(delivery(p[1], stuckIds.get(99)).get("held_by").isNull()).isTrue();
    }

    @Test
    void aFinallyFailedHeadLetsItsKeyGoOnAndARetryJoinsTheKeyInOrder() {
        String[] p = partner("GiveUp");
        String ep = orderedEndpoint(p[1]);
        String[] first = {null};
        receiver.always(answering(first, 1_000));
        first[0] = publishOne(p[0], "ch_g");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first[0]).get("attempts").size() == 1);
        String second = publishOne(p[0], "ch_g");
        String third = publishOne(p[0], "ch_g");
        assertThat(delivery(p[1], second).get("held_by").asText())
                .isEqualTo(delivery(p[1], first[0]).get("id").asText());

        // another key's success ends the endpoint's failure streak, so it is not disabled below
        String other = publishOne(p[0], "ch_other");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], other).get("status").asText().equals("delivered"));

        // past the retry horizon the head fails for good: the key goes on (the receiver sees a gap)
        moveClock(Duration.ofHours(2));
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first[0]).get("status").asText().equals("failed")
                        && delivery(p[1], third).get("status").asText().equals("delivered"));
        List<Long> seqs = sequencesByKey(receiver.received()).get("channel_id:ch_g");
        assertThat(seqs.subList(seqs.size() - 2, seqs.size())).containsExactly(2L, 3L);

        // the partner retries the failed one: nothing else of the key is pending, so it goes at once
        String head = delivery(p[1], first[0]).get("id").asText();
        first[0] = "none";
        Api.Response retry = api.post("/v1/deliveries/" + head + "/retry", p[1], null);
        assertThat(retry.status()).as(retry.body()).isEqualTo(202);
        await().atMost(WAIT)
                .until(() -> api.get("/v1/deliveries/" + head, p[1])
                        .json()
                        .get("status")
                        .asText()
                        .equals("delivered"));
        assertThat(api.get("/v1/endpoints/" + ep, p[1]).json().get("ordering").asText())
                .isEqualTo("ordered");
        assertThat(overlaps).isEmpty();
    }

    @Test
    void aHeadSupersededByANewerStateLetsThatStateGoAtOnce() {
        String quality = "phone_number.quality.changed";
        String[] p = partner("Collapse");
        Api.Response ep = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/state")
                        + "\",\"event_types\":[\"phone_number.*\"],\"ordering\":\"ordered\",\"collapse\":true}");
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        String[] first = {null};
        receiver.always(answering(first, 1_000));
        Function<String, String> publish = rating -> {
            Api.Response r = api.post(
                    "/platform/v1/events",
                    OPERATOR,
                    "{\"type\":\"" + quality + "\",\"partner_id\":\""
                            + p[0] + "\",\"subject\":{\"channel_id\":\"ch_c\"},\"data\":"
                            + validData(quality, "{\"current_limit\":\"" + rating + "\"}") + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            return r.json().get("id").asText();
        };
        // the head fails and waits for its retry; the newer state of the same key supersedes it
        first[0] = publish.apply("TIER_250");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first[0]).get("attempts").size() == 1);
        String latest = publish.apply("TIER_1K");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], latest).get("status").asText().equals("delivered"));
        assertThat(delivery(p[1], first[0]).get("status").asText()).isEqualTo("superseded");
        assertThat(overlaps).isEmpty();
    }

    @Test
    void switchingOrderingOffLetsHeldDeliveriesGoAndBadValuesAreRefused() {
        String[] p = partner("Switch");
        String ep = orderedEndpoint(p[1]);
        String[] first = {null};
        receiver.always(answering(first, 1_000));
        first[0] = publishOne(p[0], "ch_s");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], first[0]).get("attempts").size() == 1);
        String held = publishOne(p[0], "ch_s");
        assertThat(delivery(p[1], held).get("held_by").isNull()).isFalse();

        Api.Response off = api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"ordering\":\"none\"}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().get("ordering").asText()).isEqualTo("none");
        await().atMost(WAIT)
                .until(() -> delivery(p[1], held).get("status").asText().equals("delivered"));
        assertThat(delivery(p[1], first[0]).get("status").asText()).isEqualTo("pending");
        // an update that does not name it keeps it
        assertThat(api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"ordering\":\"ordered\"}")
                        .json()
                        .get("ordering")
                        .asText())
                .isEqualTo("ordered");
        assertThat(api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"description\":\"x\"}")
                        .json()
                        .get("ordering")
                        .asText())
                .isEqualTo("ordered");

        for (String bad : List.of("\"fifo\"", "true", "1")) {
            Api.Response r = api.call("PATCH", "/v1/endpoints/" + ep, p[1], "{\"ordering\":" + bad + "}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("errors").findValuesAsText("field")).contains("ordering");
        }
        Api.Response create = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/x") + "\",\"event_types\":[\"*\"],\"ordering\":\"random\"}");
        assertThat(create.status()).isEqualTo(400);
        assertThat(api.get("/v1/endpoints/" + ep, p[1]).json().get("ordering").asText())
                .isEqualTo("ordered");
    }
}
