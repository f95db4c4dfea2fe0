package io.partnerhooks.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.server.support.Api;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replay worked by two server processes on one PostgreSQL, both killed with SIGKILL half way,
 * one started again: it resumes the replay once the dead node's lease has run out, and every
 * event gets exactly one replayed delivery (no batch queued twice, none skipped).
 */
class ReplayRestartIT extends ClusterTestBase {
    private static final int EVENTS = 3_000;

    @Test
    void aReplayCutOffBySigkillIsResumedAfterARestart() throws Exception {
        List<Node> started = startNodes(2);
        Api one = new Api(started.get(0).port);
        Api.Response p = one.post("/platform/v1/partners", OPERATOR, "{\"name\":\"Replayer\"}");
        String partner = p.json().get("id").asText();
        String key = p.json().get("api_key").asText();
        for (int b = 0; b < EVENTS / 500; b++) {
            StringBuilder events = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 500; i++) {
                events.append(i == 0 ? "" : ",")
                        .append("{\"type\":\"package.updated\",\"partner_id\":\"")
                        .append(partner)
                        .append(
                                "\",\"subject\":{\"workspace_id\":\"ws_1\"},\"data\":{\"package_id\":\"pkg_1\",\"package_name\":\"Pro\","
                                        + "\"reference\":\"order-1\",\"purchased_at\":\"2026-11-22T13:05:00.000Z\"}}");
            }
            Api.Response r = one.post(
                    "/platform/v1/events/batch", OPERATOR, events.append("]}").toString());
            assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        try (SlowLink link = new SlowLink(receiver.port(), Duration.ofMillis(20))) {
            // created after the events: every one of them is missing here
            Api.Response ep =
                    one.post("/v1/endpoints", key, "{\"url\":\"" + link.url("/late") + "\",\"event_types\":[\"*\"]}");
            assertThat(ep.status()).as(ep.body()).isEqualTo(201);
            String endpoint = ep.json().get("id").asText();
            Node.sleep(1_000);
            Api.Response replay = new Api(started.get(1).port)
                    .post(
                            "/v1/endpoints/" + endpoint + "/replay",
                            key,
                            "{\"since\":\"2000-01-01T00:00:00Z\",\"until\":\"2000-01-31T00:00:00Z\",\"which\":\"missing\"}");
            assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            assertThat(replay.json().get("matched").asLong()).isZero();
            String since = Instant.now().minus(Duration.ofHours(1)).toString();
            replay = new Api(started.get(1).port)
                    .post(
                            "/v1/endpoints/" + endpoint + "/replay",
                            key,
                            "{\"since\":\"" + since + "\",\"which\":\"missing\"}");
            assertThat(replay.status()).as(replay.body()).isEqualTo(202);
            assertThat(replay.json().get("matched").asLong()).isEqualTo(EVENTS);
            String id = replay.json().get("id").asText();

            await("the replay under way")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> queued(id) >= 300);
            started.forEach(Node::kill9);
            long queuedAtKill = queued(id);
            System.out.println("[replay-restart] both nodes killed with " + queuedAtKill + " of " + EVENTS + " queued, "
                    + receiver.received().size() + " received");
            assertThat(queuedAtKill).isLessThan(EVENTS);

            Node back = started.get(0);
            back.start();
            back.awaitHealthy(STARTUP);
            Api api = new Api(back.port);
            await("the replay resumed and completed")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> api.get("/v1/replays/" + id, key)
                            .json()
                            .get("state")
                            .asText()
                            .equals("completed"));
            var done = api.get("/v1/replays/" + id, key).json();
            System.out.println("[replay-restart] after the restart: " + done);
            // told before the checks, so that a failing count shows whether an event got two replayed
            // deliveries or an event outside the replay's selection got one
            System.out.println("[replay-restart] replayed deliveries: "
                    + queryLong("SELECT COUNT(*) FROM deliveries WHERE replay_id = ?", id) + " rows for "
                    + queryLong("SELECT COUNT(DISTINCT event_id) FROM deliveries WHERE replay_id = ?", id)
                    + " distinct events");
            assertThat(done.get("queued").asLong()).isEqualTo(EVENTS);
            assertThat(done.get("delivered").asLong()).isEqualTo(EVENTS);
            // one replayed delivery per event: no batch was queued twice or skipped across the kill
            assertThat(queryLong("SELECT COUNT(DISTINCT event_id) FROM deliveries WHERE replay_id = ?", id))
                    .isEqualTo(EVENTS);
            assertThat(queryLong("SELECT COUNT(*) FROM deliveries WHERE replay_id = ?", id))
                    .isEqualTo(EVENTS);
            // at the receiver: every event, more than once only for sends cut off by the kill
            assertThat(arrivalsById().keySet()).hasSize(EVENTS);
            System.out.println(
                    "[replay-restart] requests received: " + receiver.received().size() + " for " + EVENTS
                            + " events (a send cut off by the kill is sent again)");
        }
    }

    private long queued(String id) throws SQLException {
        return queryLong("SELECT queued FROM replays WHERE id = ?", id);
    }
}
