package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operational events (issue 16 item 4, ADR 14): endpoint.disabled / recovered / failing and
 * replay.completed reach the partner's other endpoints that subscribe to them, never the endpoint
 * they are about, and its stream; each change is announced once.
 */
public abstract class OperationalEventsTest extends AppTestBase {
    private TestReceiver watcher;

    @BeforeEach
    void watcher() throws Exception {
        watcher = new TestReceiver();
    }

    @AfterEach
    void closeWatcher() throws Exception {
        watcher.close();
    }

    private void moveClock(Duration d) {
        clock.advance(d);
        app.dispatcher().wake();
        app.replayTask().wake();
    }

    /** The bodies of what the watcher got, by arrival. */
    private List<JsonNode> watched() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (TestReceiver.Received r : watcher.received()) {
            out.add(Api.JSON.readTree(r.body()));
        }
        return out;
    }

    private List<String> watchedTypes() throws Exception {
        return watched().stream().map(b -> b.get("type").asText()).toList();
    }

    private List<JsonNode> streamed(String key) {
        Api.Response r = api.get("/v1/stream?limit=100&event_types=endpoint.*,replay.*", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().get("data").forEach(out::add);
        return out;
    }

    private String state(String key, String ep) {
        return api.get("/v1/endpoints/" + ep, key).json().get("state").asText();
    }

    @Test
    void aDisabledEndpointIsAnnouncedToTheOthersOnceAndItsRecoveryToo() throws Exception {
        receiver.always(TestReceiver.status(410));
        String[] p = partner("Ops");
        String gone = endpoint(p[1], receiver.url("/gone"), "[\"*\"]").get("id").asText();
        endpoint(p[1], watcher.url("/ops"), "[\"endpoint.*\"]");
        String event = publish(p[0], ANY_TYPE, "{}");
        await().atMost(WAIT).until(() -> state(p[1], gone).equals("disabled"));
        assertThat(app.announceOperations().sweep() + app.announceOperations().sweep())
                .isLessThanOrEqualTo(1);
        await().atMost(WAIT).until(() -> watcher.received().size() == 1);
        JsonNode disabled = watched().get(0);
        assertThat(disabled.get("type").asText()).isEqualTo("endpoint.disabled");
        assertThat(disabled.get("subject").get("endpoint_id").asText()).isEqualTo(gone);
        assertThat(disabled.get("data").get("disabled_by").asText()).isEqualTo("partnerhooks");
        assertThat(disabled.get("data").get("reason").asText()).contains("410");
        assertThat(app.announceOperations().sweep()).isZero();

        // re-enabled: recovered goes to the watcher, and not to the endpoint it is about (which takes "*")
        receiver.always(TestReceiver.status(200));
        assertThat(api.call("PATCH", "/v1/endpoints/" + gone, p[1], "{\"enabled\":true}")
                        .status())
                .isEqualTo(200);
        await().atMost(WAIT)
                .until(() ->
                        deliveries(p[1], event).get(0).get("status").asText().equals("delivered"));
        app.announceOperations().sweep();
        await().atMost(WAIT).until(() -> watcher.received().size() == 2);
        JsonNode recovered = watched().get(1);
        assertThat(recovered.get("type").asText()).isEqualTo("endpoint.recovered");
        assertThat(recovered.get("data").get("previous_state").asText()).isEqualTo("disabled");
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() ->
                        receiver.received().stream().noneMatch(r -> r.bodyText().contains("\"endpoint.")));

        // the partner disabling one itself is announced as such; both are in the stream, once each
        assertThat(api.call("PATCH", "/v1/endpoints/" + gone, p[1], "{\"enabled\":false}")
                        .status())
                .isEqualTo(200);
        app.announceOperations().sweep();
        await().atMost(WAIT).until(() -> watcher.received().size() == 3);
        assertThat(watched().get(2).get("data").get("disabled_by").asText()).isEqualTo("partner");
        assertThat(streamed(p[1]))
                .extracting(e -> e.get("type").asText())
                .containsExactly("endpoint.disabled", "endpoint.recovered", "endpoint.disabled");
        assertThat(app.announceOperations().sweep()).isZero();

        // another partner hears nothing of it
        String[] q = partner("Elsewhere");
        assertThat(streamed(q[1])).isEmpty();
    }

    @Test
    void anHourOfCooldownIsAnnouncedOnceAsFailingThenTheRecovery() throws Exception {
        receiver.always(TestReceiver.status(500));
        String[] p = partner("Failing");
        String ep = endpoint(p[1], receiver.url("/down"), "[\"" + ANY_TYPE + "\"]")
                .get("id")
                .asText();
        endpoint(p[1], watcher.url("/ops"), "[\"endpoint.failing\", \"endpoint.recovered\"]");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(publish(p[0], ANY_TYPE, "{\"n\":" + i + "}"));
        }
        await().atMost(WAIT).until(() -> state(p[1], ep).equals("cooldown"));
        // cooldown itself is not announced; under an hour of it, nothing is
        assertThat(app.announceOperations().sweep()).isZero();
        clock.advance(Duration.ofMinutes(59));
        assertThat(app.announceOperations().sweep()).isZero();
        assertThat(watcher.received()).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThat(state(p[1], ep)).isIn("cooldown");
        app.announceOperations().sweep();
        await().atMost(WAIT).until(() -> watcher.received().size() == 1);
        JsonNode failing = watched().get(0);
        assertThat(failing.get("type").asText()).isEqualTo("endpoint.failing");
        assertThat(failing.get("subject").get("endpoint_id").asText()).isEqualTo(ep);
        assertThat(failing.get("data").get("consecutive_failures").asInt()).isGreaterThanOrEqualTo(5);
        // once per failing spell, however long it lasts
        clock.advance(Duration.ofHours(2));
        assertThat(app.announceOperations().sweep()).isZero();

        receiver.always(TestReceiver.status(200));
        moveClock(Duration.ofHours(3));
        await().atMost(WAIT).until(() -> state(p[1], ep).equals("active"));
        app.announceOperations().sweep();
        await().atMost(WAIT).until(() -> watcher.received().size() == 2);
        JsonNode recovered = watched().get(1);
        assertThat(recovered.get("type").asText()).isEqualTo("endpoint.recovered");
        assertThat(recovered.get("data").get("previous_state").asText()).isEqualTo("failing");
        assertThat(watchedTypes()).containsExactly("endpoint.failing", "endpoint.recovered");
    }

    @Test
    void aCompletedReplayIsAnnouncedToTheOtherEndpoints() throws Exception {
        String[] p = partner("Replayed");
        String target = endpoint(p[1], receiver.url("/r"), "[\"*\"]").get("id").asText();
        for (int i = 0; i < 3; i++) {
            publish(p[0], ANY_TYPE, "{}");
        }
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        endpoint(p[1], watcher.url("/ops"), "[\"replay.completed\"]");
        clock.advance(Duration.ofSeconds(1));
        Api.Response started = api.post(
                "/v1/endpoints/" + target + "/replay", p[1], "{\"since\":\"2026-11-22T11:00:00Z\",\"which\":\"all\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String replay = started.json().get("id").asText();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!watcher.received().isEmpty()) {
                return true;
            }
            moveClock(Duration.ofSeconds(3));
            return false;
        });
        JsonNode done = watched().get(0);
        assertThat(done.get("type").asText()).isEqualTo("replay.completed");
        assertThat(done.get("subject").get("replay_id").asText()).isEqualTo(replay);
        assertThat(done.get("data").get("matched").asInt()).isEqualTo(3);
        assertThat(done.get("data").get("delivered").asInt())
                .as(done.toString())
                .isEqualTo(3);
        assertThat(api.get("/v1/replays/" + replay, p[1]).json().get("state").asText())
                .isEqualTo("completed");
        // the replayed endpoint (which takes "*") got its 3 events twice, and not the announcement
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> receiver.received().size() == 6);
        assertThat(streamed(p[1])).extracting(e -> e.get("type").asText()).containsExactly("replay.completed");
    }
}
