package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.server.support.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GET /v1/stream and its consumers (issue 16 item 2), against a real server and database. */
public abstract class StreamTest extends AppTestBase {

    private JsonNode page(String key, String query) {
        Api.Response r = api.get("/v1/stream" + query, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("data").forEach(e -> out.add(e.get("id").asText()));
        return out;
    }

    /**
     * Eight publishers race while a reader pages through the stream with small pages: every event
     * comes exactly once, none is skipped by a page read while it was being committed.
     */
    @Test
    void pagesHaveNoGapsAndNoRepeatsWhileEightPublishersRace() throws Exception {
        String[] p = partner("Puller");
        Set<String> published = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            publishers.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < 40; i++) {
                            published.add(publish(p[0], ANY_TYPE, "{}"));
                        }
                    },
                    pool));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean done = publishers.stream().allMatch(CompletableFuture::isDone);
            JsonNode page = page(p[1], "?limit=7" + (cursor == null ? "" : "&after=" + cursor));
            seen.addAll(ids(page));
            if (!page.get("next_cursor").isNull()) {
                cursor = page.get("next_cursor").asText();
            }
            if (done && page.get("data").isEmpty() && seen.size() >= published.size()) {
                break;
            }
        }
        pool.shutdown();
        CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).get();
        assertThat(published).hasSize(320);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(published);
    }

    @Test
    void eventsComeInTheStandardEnvelopeNarrowedByType() {
        String[] p = partner("Envelope");
        String a = publish(p[0], "workspace.quota.threshold_reached", "{}");
        String b = publish(p[0], ANY_TYPE, "{}");
        JsonNode all = page(p[1], "");
        assertThat(ids(all)).containsExactly(a, b);
        JsonNode first = all.get("data").get(0);
        assertThat(first.fieldNames())
                .toIterable()
                .containsExactly("id", "type", "created_at", "partner_id", "subject", "sequence", "data");
        assertThat(first.get("partner_id").asText()).isEqualTo(p[0]);
        assertThat(ids(page(p[1], "?event_types=workspace.*"))).containsExactly(a);
        assertThat(ids(page(p[1], "?event_types=" + ANY_TYPE + ",workspace.quota.threshold_reached")))
                .containsExactly(a, b);
        // another partner's stream is its own
        String[] q = partner("Other");
        assertThat(page(q[1], "").get("data")).isEmpty();
    }

    @Test
    void aLongPollIsAnsweredWhenAnEventArrivesAndAnEmptyOneKeepsTheCursor() throws Exception {
        String[] p = partner("Waiter");
        publish(p[0], ANY_TYPE, "{}");
        String cursor = page(p[1], "").get("next_cursor").asText();
        JsonNode empty = page(p[1], "?wait=1&after=" + cursor);
        assertThat(empty.get("data")).isEmpty();
        assertThat(empty.get("next_cursor").asText()).isEqualTo(cursor);

        long t0 = System.nanoTime();
        CompletableFuture<JsonNode> waiting =
                CompletableFuture.supplyAsync(() -> page(p[1], "?wait=20&after=" + cursor));
        Thread.sleep(700);
        assertThat(waiting).isNotDone();
        String id = publish(p[0], ANY_TYPE, "{}");
        JsonNode got = waiting.get(30, TimeUnit.SECONDS);
        assertThat(ids(got)).containsExactly(id);
        // answered because the event came, not because the 20 s ran out
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aConsumerContinuesFromItsCommittedCursorAndItsCreationIsAudited() {
        String[] p = partner("Consumer");
        String first = publish(p[0], ANY_TYPE, "{}");
        String second = publish(p[0], ANY_TYPE, "{}");
        assertThat(api.get("/v1/stream/consumers/billing", p[1]).status()).isEqualTo(404);
        JsonNode one = page(p[1], "?consumer=billing&limit=1");
        assertThat(ids(one)).containsExactly(first);
        Api.Response committed = api.post(
                "/v1/stream/consumers/billing/commit",
                p[1],
                "{\"cursor\":\"" + one.get("next_cursor").asText() + "\"}");
        assertThat(committed.status()).as(committed.body()).isEqualTo(200);
        assertThat(committed.json().get("cursor").asText())
                .isEqualTo(one.get("next_cursor").asText());
        assertThat(api.get("/v1/stream/consumers/billing", p[1])
                        .json()
                        .get("name")
                        .asText())
                .isEqualTo("billing");
        assertThat(ids(page(p[1], "?consumer=billing"))).containsExactly(second);
        // a second commit moves it and is not a second creation
        String end = page(p[1], "?consumer=billing").get("next_cursor").asText();
        assertThat(api.post("/v1/stream/consumers/billing/commit", p[1], "{\"cursor\":\"" + end + "\"}")
                        .status())
                .isEqualTo(200);
        assertThat(page(p[1], "?consumer=billing").get("data")).isEmpty();
        JsonNode audit = api.get("/v1/audit-log?action=stream_consumer.create", p[1])
                .json()
                .get("data");
        assertThat(audit).hasSize(1);
        // consumers are per partner
        String[] q = partner("Stranger");
        assertThat(api.get("/v1/stream/consumers/billing", q[1]).status()).isEqualTo(404);
    }

    @Test
    void badRequestsNameTheirField() {
        String[] p = partner("Careless");
        assertThat(api.get("/v1/stream?limit=0", p[1]).body()).contains("\"limit\"");
        assertThat(api.get("/v1/stream?wait=31", p[1]).status()).isEqualTo(400);
        assertThat(api.get("/v1/stream?wait=soon", p[1]).body()).contains("\"wait\"");
        Api.Response nope = api.get("/v1/stream?event_types=workspace.nope", p[1]);
        assertThat(nope.status()).isEqualTo(400);
        assertThat(nope.body()).contains("event_types[0]");
        assertThat(api.get("/v1/stream?after=yesterday", p[1]).body()).contains("\"after\"");
        assertThat(api.get("/v1/stream?after=1.&consumer=x", p[1]).status()).isEqualTo(400);
        assertThat(api.get("/v1/stream?consumer=no%20spaces", p[1]).status()).isEqualTo(400);
        assertThat(api.get("/v1/stream?cursor=1.", p[1]).status()).isEqualTo(400);
        assertThat(api.post("/v1/stream/consumers/c/commit", p[1], "{}").body()).contains("\"cursor\"");
        assertThat(api.post("/v1/stream/consumers/c/commit", p[1], "{\"cursor\":\"nope\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.get("/v1/stream", null).status()).isEqualTo(401);
    }

    @Test
    void aCursorOlderThanWhatIsKeptIsGoneWithTheOldestCursorToStartFrom() {
        String[] p = partner("Late");
        String kept = publish(p[0], ANY_TYPE, "{}");
        String old =
                IdGenerator.timePrefix(Ids.EVENT, T0.minus(Duration.ofDays(40)).toEpochMilli()) + "0000";
        Api.Response gone = api.get("/v1/stream?after=3." + old, p[1]);
        assertThat(gone.status()).as(gone.body()).isEqualTo(410);
        assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
        String oldest = gone.json().get("oldest_cursor").asText();
        assertThat(ids(page(p[1], "?after=" + oldest))).containsExactly(kept);
    }
}
