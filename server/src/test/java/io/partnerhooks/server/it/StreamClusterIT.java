package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 2, the stream's promise under load (ADR 12): 8 publishers through 2 nodes on one
 * PostgreSQL while a reader pages {@code GET /v1/stream} with a small limit, alternating between
 * the nodes. Every acknowledged event comes exactly once over the pages, and none ever shows up
 * behind a cursor already passed: reading the whole stream again afterwards gives the very same
 * order as the pages read while the events were being committed.
 */
class StreamClusterIT extends ClusterTestBase {
    private static final int PUBLISHERS = 8;
    private static final int EVENTS = 4_000;
    private static final int PAGE = 17;

    private record Page(List<String> ids, String next) {}

    private static Page read(Api api, String key, String after, int limit) {
        String q = "/v1/stream?limit=" + limit
                + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        Api.Response r = api.get(q, key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode e : r.json().get("data")) {
            ids.add(e.get("id").asText());
        }
        JsonNode next = r.json().get("next_cursor");
        return new Page(ids, next == null || next.isNull() ? after : next.asText());
    }

    @Test
    void everyEventComesExactlyOnceAndNeverBehindAPassedCursor() throws Exception {
        List<Node> started = startNodes(2);
        Api first = new Api(started.get(0).port);
        Api.Response p = first.post("/platform/v1/partners", OPERATOR, "{\"name\":\"Stream Partner\"}");
        assertThat(p.status()).as(p.body()).isEqualTo(201);
        String partnerId = p.json().get("id").asText();
        String key = p.json().get("api_key").asText();
        List<Api> readers = List.of(first, new Api(started.get(1).port));

        Publisher publisher = new Publisher(partnerId, started);
        publisher.startStream(PUBLISHERS, EVENTS, Duration.ofMinutes(3));
        List<String> live = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> repeats = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        boolean publishing = true;
        while (System.nanoTime() - deadline < 0) {
            Page page = read(readers.get(pages++ % 2), key, cursor, PAGE);
            for (String id : page.ids()) {
                if (!seen.add(id)) {
                    repeats.add(id);
                }
                live.add(id);
            }
            cursor = page.next();
            if (publishing && publisher.attempted() >= EVENTS) {
                publisher.stop();
                publishing = false;
            }
            if (!publishing && page.ids().isEmpty() && seen.containsAll(publisher.acceptedIds())) {
                break;
            }
        }
        if (publishing) {
            publisher.stop();
        }
        Set<String> accepted = publisher.acceptedIds();
        System.out.println("[stream-cluster] " + accepted.size() + " events from " + PUBLISHERS + " publishers through"
                + " 2 nodes, read live in " + pages + " pages of at most " + PAGE);
        assertThat(publisher.rejected).isEmpty();
        assertThat(repeats).as("events that came twice over the pages").isEmpty();
        Set<String> missing = new HashSet<>(accepted);
        missing.removeAll(seen);
        assertThat(missing).as("acknowledged events the pages never showed").isEmpty();

        // the whole stream again, in big pages: the same events in the same order as read live, so
        // no event was committed behind a cursor the reader had already passed
        List<String> again = new ArrayList<>();
        String c = null;
        while (true) {
            Page page = read(readers.get(again.size() % 2), key, c, 1000);
            if (page.ids().isEmpty()) {
                break;
            }
            again.addAll(page.ids());
            c = page.next();
        }
        assertThat(again).hasSameSizeAs(live);
        assertThat(again).as("the stream read again").containsExactlyElementsOf(live);
    }
}
