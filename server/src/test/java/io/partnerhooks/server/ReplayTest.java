package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.usecase.ReplayEvents;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Resend and replay (issue 16 item 1) against the real app, a real database and a real HTTP
 * receiver that counts what arrives. The test clock stands still, so the tests move it on where a
 * replay waits for its deliveries (its waits are timed by the injected clock).
 */
abstract class ReplayTest extends AppTestBase {
    private static final String OTHER_TYPE = "workspace.seats.exhausted";

    @Override
    Config config() {
        // one retry 5 s after the first attempt, then failed (the next one would be past the horizon)
        return super.config().withRetry(List.of(Duration.ofSeconds(5), Duration.ofSeconds(30)), Duration.ofSeconds(10));
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
        app.replayTask().wake();
    }

    /** Arrivals at one receiver path, by webhook-id. */
    private Map<String, Long> arrivals(String path) {
        return receiver.received().stream()
                .filter(r -> r.path().equals(path))
                .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
    }

    private Api.Response replay(String key, String endpoint, String body) {
        return api.post("/v1/endpoints/" + endpoint + "/replay", key, body);
    }

    /** Waits for the replay to complete, moving the clock past its waits; returns its final view. */
    private JsonNode completed(String key, String replayId) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode r = api.get("/v1/replays/" + replayId, key).json();
            if (r.get("state").asText().equals("completed")) {
                return true;
            }
            moveClock(Duration.ofSeconds(3));
            return false;
        });
        return api.get("/v1/replays/" + replayId, key).json();
    }

    private String failedEvent(String[] p) {
        receiver.always(TestReceiver.status(500));
        String id = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], id).get(0).get("attempts").size() == 1);
        moveClock(Duration.ofSeconds(5));
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], id).get(0).get("status").asText().equals("failed"));
        receiver.always(TestReceiver.status(200));
        return id;
    }

    @Test
    void aFailedDeliveryCanBeResentWithTheSameWebhookId() {
        String[] p = partner("Resend");
        endpoint(p[1], receiver.url("/r"), "[\"" + ANY_TYPE + "\"]");
        String event = failedEvent(p);
        String failed = deliveries(p[1], event).get(0).get("id").asText();
        assertThat(arrivals("/r")).containsExactlyEntriesOf(Map.of(event, 2L));

        Api.Response resent = api.post("/v1/deliveries/" + failed + "/resend", p[1], null);
        assertThat(resent.status()).as(resent.body()).isEqualTo(202);
        assertThat(resent.json().get("resent_from").asText()).isEqualTo(failed);
        await().atMost(WAIT)
                .until(() -> deliveries(p[1], event).size() == 2
                        && deliveries(p[1], event).get(1).get("status").asText().equals("delivered"));
        // the same webhook-id a third time: to the receiver a resend is one more retry
        assertThat(arrivals("/r")).containsExactlyEntriesOf(Map.of(event, 3L));
        assertThat(deliveries(p[1], event).get(0).get("status").asText()).isEqualTo("failed");
        // and a delivered one can be resent again; the pending one cannot
        String delivered = deliveries(p[1], event).get(1).get("id").asText();
        assertThat(api.post("/v1/deliveries/" + delivered + "/resend", p[1], null)
                        .status())
                .isEqualTo(202);
        await().atMost(WAIT).until(() -> arrivals("/r").get(event) == 4L);
        assertThat(api.get("/v1/audit-log?action=delivery.resend", p[1]).json().get("data"))
                .hasSize(2);
    }

    @Test
    void eachWhichSendsWhatItSaysAndAnEndpointCreatedLaterGetsWhatItMissed() {
        String[] p = partner("Replayer");
        String e1 = endpoint(p[1], receiver.url("/e1"), "[\"" + ANY_TYPE + "\"]")
                .get("id")
                .asText();
        String a = failedEvent(p);
        String b = publish(p[0], ANY_TYPE, "{}");
        String c = publish(p[0], ANY_TYPE, "{}");
        String other = publish(p[0], OTHER_TYPE, "{}");
        await().atMost(WAIT)
                .until(() -> arrivals("/e1").size() == 3 && arrivals("/e1").get(c) != null);
        // created after every event: it has no delivery of any of them
        String e2 = endpoint(p[1], receiver.url("/e2"), "[\"" + ANY_TYPE + "\",\"workspace.*\"]")
                .get("id")
                .asText();
        moveClock(Duration.ofSeconds(1));

        // failed: only a, once more
        Api.Response failed = replay(p[1], e1, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"failed\"}");
        assertThat(failed.status()).as(failed.body()).isEqualTo(202);
        assertThat(failed.json().get("id").asText()).startsWith("rpl_");
        assertThat(failed.json().get("matched").asLong()).isEqualTo(1);
        assertThat(failed.json().get("state").asText()).isEqualTo("queued");
        JsonNode done = completed(p[1], failed.json().get("id").asText());
        assertThat(done.get("queued").asLong()).isEqualTo(1);
        assertThat(done.get("delivered").asLong()).isEqualTo(1);
        assertThat(done.get("failed").asLong()).isZero();
        assertThat(done.get("endpoint_id").asText()).isEqualTo(e1);
        assertThat(done.get("which").asText()).isEqualTo("failed");
        assertThat(done.get("completed_at").isNull()).isFalse();
        assertThat(arrivals("/e1")).containsExactlyInAnyOrderEntriesOf(Map.of(a, 3L, b, 1L, c, 1L));
        // a is delivered now: nothing is left to replay as failed
        assertThat(replay(p[1], e1, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"failed\"}")
                        .json()
                        .get("matched")
                        .asLong())
                .isZero();

        // all: every subscribed event again, the unsubscribed type never
        Api.Response all = replay(
                p[1],
                e1,
                "{\"since\":\"2026-11-22T11:00:00Z\",\"until\":\"2026-11-22T13:00:00Z\"," + "\"which\":\"all\"}");
        assertThat(all.json().get("matched").asLong()).isEqualTo(3);
        assertThat(completed(p[1], all.json().get("id").asText())
                        .get("delivered")
                        .asLong())
                .isEqualTo(3);
        assertThat(arrivals("/e1")).containsExactlyInAnyOrderEntriesOf(Map.of(a, 4L, b, 2L, c, 2L));

        // missing: the later endpoint gets each event it subscribes to exactly once
        Api.Response missing = replay(p[1], e2, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}");
        assertThat(missing.json().get("matched").asLong()).isEqualTo(4);
        assertThat(completed(p[1], missing.json().get("id").asText())
                        .get("delivered")
                        .asLong())
                .isEqualTo(4);
        assertThat(arrivals("/e2")).containsExactlyInAnyOrderEntriesOf(Map.of(a, 1L, b, 1L, c, 1L, other, 1L));
        // ... and nothing is missing any more
        String again = replay(p[1], e2, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}")
                .json()
                .get("id")
                .asText();
        assertThat(completed(p[1], again).get("queued").asLong()).isZero();

        // event_types narrows the subscription
        Api.Response narrowed = replay(
                p[1],
                e2,
                "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\"," + "\"event_types\":[\"workspace.*\"]}");
        assertThat(narrowed.json().get("matched").asLong()).isEqualTo(1);
        assertThat(narrowed.json().get("event_types").get(0).asText()).isEqualTo("workspace.*");
        completed(p[1], narrowed.json().get("id").asText());
        assertThat(arrivals("/e2").get(other)).isEqualTo(2L);

        // listed (newest first, by id), per endpoint or all; audited
        JsonNode listed = api.get("/v1/replays?endpoint_id=" + e2, p[1]).json().get("data");
        assertThat(listed).hasSize(3);
        assertThat(listed.findValuesAsText("id"))
                .contains(
                        narrowed.json().get("id").asText(),
                        missing.json().get("id").asText(),
                        again);
        Api.Response page = api.get("/v1/replays?limit=2", p[1]);
        assertThat(page.json().get("data")).hasSize(2);
        String cursor = page.json().get("next_cursor").asText();
        assertThat(api.get("/v1/replays?limit=250&after=" + cursor, p[1]).json().get("data"))
                .hasSize(4);
        JsonNode audited =
                api.get("/v1/audit-log?action=endpoint.replay", p[1]).json().get("data");
        assertThat(audited).hasSize(6);
        assertThat(audited.findValues("target").stream()
                        .map(t -> t.get("id").asText())
                        .distinct())
                .containsExactlyInAnyOrder(e1, e2);
        // another partner sees none of it
        String[] q = partner("Other");
        assertThat(api.get("/v1/replays/" + failed.json().get("id").asText(), q[1])
                        .status())
                .isEqualTo(404);
        assertThat(replay(q[1], e1, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\"}")
                        .status())
                .isEqualTo(404);
    }

    private static void assertRefused(Api.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("errors").findValuesAsText("field")).contains(field);
    }

    @Test
    void aReplayIsBoundedAndItsInputChecked() {
        String[] p = partner("Bounds");
        String ep = endpoint(p[1], receiver.url("/b"), "[\"" + ANY_TYPE + "\"]")
                .get("id")
                .asText();
        assertRefused(
                replay(
                        p[1],
                        ep,
                        "{\"since\":\"2026-10-01T00:00:00Z\",\"until\":\"2026-11-02T00:00:01Z\","
                                + "\"which\":\"all\"}"),
                "until");
        assertRefused(replay(p[1], ep, "{\"since\":\"2026-10-01T00:00:00Z\",\"which\":\"all\"}"), "since");
        assertRefused(replay(p[1], ep, "{\"which\":\"all\"}"), "since");
        assertRefused(replay(p[1], ep, "{\"since\":\"last tuesday\",\"which\":\"all\"}"), "since");
        assertRefused(replay(p[1], ep, "{\"since\":\"2026-11-23T00:00:00Z\",\"which\":\"all\"}"), "since");
        assertRefused(
                replay(
                        p[1],
                        ep,
                        "{\"since\":\"2026-11-22T11:00:00Z\",\"until\":\"2026-11-22T10:00:00Z\","
                                + "\"which\":\"all\"}"),
                "until");
        assertRefused(replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\"}"), "which");
        assertRefused(replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"sometimes\"}"), "which");
        assertRefused(
                replay(
                        p[1],
                        ep,
                        "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\","
                                + "\"event_types\":[\"nobody.heard_of.this\"]}"),
                "event_types[0]");
        assertRefused(
                replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\",\"event_types\":[]}"),
                "event_types");
        assertRefused(replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\",\"from\":1}"), "from");
        assertThat(replay(p[1], "ep_nope", "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\"}")
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/v1/replays/rpl_nope", p[1]).status()).isEqualTo(404);
        assertRefused(api.get("/v1/replays?after=yesterday", p[1]), "after");
        assertRefused(api.get("/v1/replays?endpoint_id=x", p[1]), "endpoint_id");
        // exactly 31 days is allowed
        assertThat(replay(
                                p[1],
                                ep,
                                "{\"since\":\"2026-10-22T12:00:00Z\",\"until\":\"2026-11-22T12:00:00Z\","
                                        + "\"which\":\"all\"}")
                        .status())
                .isEqualTo(202);

        // the event bound, with a small one so that the test need not publish a million events
        publish(p[0], ANY_TYPE, "{}");
        publish(p[0], ANY_TYPE, "{}");
        publish(p[0], ANY_TYPE, "{}");
        ReplayEvents bounded = new ReplayEvents(
                app.store().replays(),
                app.store().endpoints(),
                null,
                new IdGenerator(clock, new Random(3)),
                clock,
                () -> {},
                () -> {},
                10,
                2);
        var request = new ReplayEvents.Request(
                Instant.parse("2026-11-22T11:00:00Z"), Instant.parse("2026-11-22T13:00:00Z"), null, "all");
        var id = new EndpointId(ep);
        var partner = new PartnerId(p[0]);
        Assertions.assertThatThrownBy(() -> bounded.prepare(partner, id, request))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("since")
                .hasMessageContaining("more than 2 events");
        // nothing was written for any refusal: one replay (the 31-day one), one audit row
        assertThat(api.get("/v1/replays", p[1]).json().get("data")).hasSize(1);
        assertThat(api.get("/v1/audit-log?action=endpoint.replay", p[1]).json().get("data"))
                .hasSize(1);
    }

    /**
     * A replay abandoned by its worker half way (a node that died: it never commits again, its
     * lease runs out) is continued by another worker from the last committed batch; the worker
     * that lost it cannot write any more; every event arrives exactly once.
     */
    @Test
    void aReplayAbandonedHalfWayIsResumedByAnotherWorker() {
        app.replayTask().close();
        String[] p = partner("Resume");
        for (int i = 0; i < 5; i++) {
            publish(p[0], ANY_TYPE, "{}");
        }
        String ep = endpoint(p[1], receiver.url("/later"), "[\"" + ANY_TYPE + "\"]")
                .get("id")
                .asText();
        moveClock(Duration.ofSeconds(1));
        Api.Response started = replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}");
        assertThat(started.json().get("matched").asLong()).isEqualTo(5);
        String id = started.json().get("id").asText();

        ReplayEvents nodeA = worker();
        ReplayEvents nodeB = worker();
        assertThat(nodeA.step()).isEqualTo(ReplayEvents.Step.WORKED);
        JsonNode half = api.get("/v1/replays/" + id, p[1]).json();
        assertThat(half.get("state").asText()).isEqualTo("running");
        assertThat(half.get("queued").asLong()).isEqualTo(2);
        // while A's lease lasts, B finds nothing to do
        assertThat(nodeB.step()).isEqualTo(ReplayEvents.Step.IDLE);

        // A dies here; once its lease has run out (and A's batch has been sent: the queue is short
        // again), B takes over where A's last batch ended
        await().atMost(WAIT).until(() -> arrivals("/later").size() == 2);
        moveClock(ReplayEvents.LEASE.plusSeconds(1));
        assertThat(nodeB.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("queued").asLong())
                .isEqualTo(4);
        // A wakes up and tries its next batch: refused, nothing written
        await().atMost(WAIT).until(() -> arrivals("/later").size() == 4);
        assertThat(nodeA.step()).isEqualTo(ReplayEvents.Step.IDLE);
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("queued").asLong())
                .isEqualTo(4);
        assertThat(nodeB.step()).isEqualTo(ReplayEvents.Step.WORKED);
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("queued").asLong())
                .isEqualTo(5);
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("state").asText())
                .isEqualTo("running");

        await().atMost(WAIT).until(() -> arrivals("/later").size() == 5);
        await().atMost(WAIT)
                .until(() -> api.get("/v1/replays/" + id, p[1])
                                .json()
                                .get("delivered")
                                .asLong()
                        == 5);
        // B sees it through: completed once nothing is pending
        await().atMost(WAIT).until(() -> {
            moveClock(Duration.ofSeconds(3));
            nodeB.step();
            return api.get("/v1/replays/" + id, p[1])
                    .json()
                    .get("state")
                    .asText()
                    .equals("completed");
        });
        assertThat(arrivals("/later").values()).containsOnly(1L);
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("queued").asLong())
                .isEqualTo(5);
    }

    /** On an ordered endpoint a replay keeps each key's events one at a time, in sequence order. */
    @Test
    void aReplayToAnOrderedEndpointSendsEachKeyInSequenceOrder() {
        String[] p = partner("Ordered");
        for (int i = 0; i < 6; i++) {
            publish(p[0], ANY_TYPE, "{}"); // one subject (ws_12345): one key, sequences 1..6
        }
        Api.Response ep = api.post(
                "/v1/endpoints",
                p[1],
                "{\"url\":\"" + receiver.url("/ordered") + "\",\"event_types\":[\"*\"],\"ordering\":\"ordered\"}");
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        moveClock(Duration.ofSeconds(1));
        Api.Response r = replay(
                p[1], ep.json().get("id").asText(), "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}");
        assertThat(r.json().get("matched").asLong()).isEqualTo(6);
        await().atMost(WAIT).until(() -> arrivals("/ordered").size() == 6);
        List<Long> sequences = receiver.received().stream()
                .filter(x -> x.path().equals("/ordered"))
                .map(x -> Long.parseLong(x.header("webhook-sequence")))
                .toList();
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        completed(p[1], r.json().get("id").asText());
    }

    /** Eight workers (nodes) asking for the same replay at the same moment: one gets it, once. */
    @Test
    void workersRacingForOneReplayGetItOneAtATime() throws Exception {
        app.replayTask().close();
        String[] p = partner("Race");
        for (int i = 0; i < 3; i++) {
            publish(p[0], ANY_TYPE, "{}");
        }
        String ep = endpoint(p[1], receiver.url("/race"), "[\"" + ANY_TYPE + "\"]")
                .get("id")
                .asText();
        moveClock(Duration.ofSeconds(1));
        String id = replay(p[1], ep, "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"missing\"}")
                .json()
                .get("id")
                .asText();
        List<ReplayEvents> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workers.add(new ReplayEvents(
                    app.store().replays(),
                    app.store().endpoints(),
                    null,
                    new IdGenerator(clock, new Random()),
                    clock,
                    app.dispatcher()::wake,
                    () -> {},
                    100));
        }
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ReplayEvents.Step>> steps = new ArrayList<>();
            for (ReplayEvents w : workers) {
                steps.add(pool.submit(() -> {
                    start.await();
                    return w.step();
                }));
            }
            start.countDown();
            List<ReplayEvents.Step> got = new ArrayList<>();
            for (var f : steps) {
                got.add(f.get());
            }
            assertThat(got).containsOnlyOnce(ReplayEvents.Step.WORKED);
            assertThat(got.stream().filter(x -> x == ReplayEvents.Step.IDLE)).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/v1/replays/" + id, p[1]).json().get("queued").asLong())
                .isEqualTo(3);
        await().atMost(WAIT).until(() -> arrivals("/race").size() == 3);
        assertThat(arrivals("/race").values()).containsOnly(1L);
    }

    private ReplayEvents worker() {
        return new ReplayEvents(
                app.store().replays(),
                app.store().endpoints(),
                null,
                new IdGenerator(clock, new Random()),
                clock,
                app.dispatcher()::wake,
                () -> {},
                2);
    }
}
