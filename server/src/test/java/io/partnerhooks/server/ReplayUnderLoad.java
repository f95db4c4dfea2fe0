package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.server.support.Api;
import io.partnerhooks.server.support.NoJitterRandom;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replay of many events (100,000 for the figure in ADR 13) while live events are published to the same endpoint at a steady
 * pace: prints live publish → arrival latency without and with the replay running, and how fast
 * the replay went. A figure-producing check with the real clock (a replay's waits are timed by
 * it), run by Failsafe in {@code verify} (the subclasses are *IT); nothing is asserted on time.
 */
public abstract class ReplayUnderLoad extends AppTestBase {
    /**
     * 20,000 by default so that the suite stays short; the figure in ADR 13 was made with
     * {@code -Dpartnerhooks.replayEvents=100000}.
     */
    static final int OLD_EVENTS = Integer.getInteger("partnerhooks.replayEvents", 20_000);

    private HttpServer counting;
    private final Map<String, AtomicLong> arrivals = new ConcurrentHashMap<>();
    private final Map<String, Instant> arrivedAt = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    @Override
    App startApp(Config config) {
        return App.start(config, Clock.systemUTC(), new NoJitterRandom(7));
    }

    private String countingUrl() throws Exception {
        counting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        counting.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        counting.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            String id = x.getRequestHeaders().getFirst("webhook-id");
            arrivedAt.putIfAbsent(id, Instant.now());
            arrivals.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
            total.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        counting.start();
        return "http://127.0.0.1:" + counting.getAddress().getPort() + "/hooks";
    }

    /** Old events written straight into the table, spread over the last hour, with no delivery. */
    private void insertOldEvents(String partnerId, Instant from) throws Exception {
        String data = validData(ANY_TYPE, "{}");
        app.store().jdbc().inTransaction(c -> {
            try (PreparedStatement e = c.prepareStatement("INSERT INTO events (id, partner_id, type, subject, data,"
                    + " created_at, subject_key, sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < OLD_EVENTS; i++) {
                    long at = from.toEpochMilli() + i * 30L;
                    e.setString(1, IdGenerator.timePrefix(Ids.EVENT, at) + String.format("%016d", i));
                    e.setString(2, partnerId);
                    e.setString(3, ANY_TYPE);
                    e.setString(4, "{\"workspace_id\":\"ws_old\"}");
                    e.setString(5, data);
                    e.setLong(6, at);
                    e.setString(7, "workspace_id:ws_old");
                    e.setLong(8, i + 1);
                    e.addBatch();
                    if (i % 10_000 == 9_999) {
                        e.executeBatch();
                    }
                }
                e.executeBatch();
            }
            return null;
        });
    }

    /** Publishes one event every 20 ms while {@code running} says so; returns publish time by event id. */
    private Map<String, Instant> publishPaced(BooleanSupplier running, String partnerId) {
        Map<String, Instant> at = new HashMap<>();
        while (running.getAsBoolean()) {
            Instant now = Instant.now();
            at.put(publish(partnerId, ANY_TYPE, "{}"), now);
            LockSupport.parkNanos(20_000_000);
        }
        return at;
    }

    private String latency(Map<String, Instant> publishedAt) {
        List<Long> ms = new ArrayList<>();
        publishedAt.forEach(
                (id, sent) -> ms.add(Duration.between(sent, arrivedAt.get(id)).toMillis()));
        ms.sort(null);
        return "p50 " + ms.get(ms.size() / 2) + " ms, p99 " + ms.get(ms.size() * 99 / 100) + " ms, max "
                + ms.get(ms.size() - 1) + " ms over " + ms.size() + " live events";
    }

    @Test
    void liveDeliveriesGoOnWhileManyEventsAreReplayed() throws Exception {
        String[] p = partner("Acme");
        Instant from = Instant.now().minus(Duration.ofHours(1));
        insertOldEvents(p[0], from);
        // created after the old events: all of them are missing here
        String ep = endpoint(p[1], countingUrl(), "[\"*\"]").get("id").asText();

        long baselineEnd = System.nanoTime() + 10_000_000_000L;
        var baseline = publishPaced(() -> System.nanoTime() < baselineEnd, p[0]);
        await().atMost(WAIT).until(() -> arrivedAt.keySet().containsAll(baseline.keySet()));

        long started = System.nanoTime();
        Api.Response r = api.post(
                "/v1/endpoints/" + ep + "/replay",
                p[1],
                "{\"since\":\"" + from.minusSeconds(1) + "\",\"which\":\"missing\"}");
        long answeredMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("matched").asLong()).isEqualTo(OLD_EVENTS);
        String id = r.json().get("id").asText();
        var during = publishPaced(
                () -> api.get("/v1/replays/" + id, p[1]).json().get("delivered").asLong() < OLD_EVENTS, p[0]);
        long replayMs = (System.nanoTime() - started) / 1_000_000;
        await().atMost(Duration.ofMinutes(2)).until(() -> arrivedAt.keySet().containsAll(during.keySet()));
        await().atMost(Duration.ofMinutes(1))
                .until(() -> api.get("/v1/replays/" + id, p[1])
                        .json()
                        .get("state")
                        .asText()
                        .equals("completed"));

        assertThat(total.get()).isEqualTo(OLD_EVENTS + baseline.size() + during.size());
        assertThat(arrivals.values()).allMatch(n -> n.get() == 1);
        String db = app.store().dialect().name();
        System.out.printf(
                "[replay-under-load] %s: replay of %d events: answered in %d ms, all delivered after %d ms"
                        + " (%.0f events/s)%n",
                db, OLD_EVENTS, answeredMs, replayMs, OLD_EVENTS * 1000.0 / replayMs);
        System.out.printf("[replay-under-load] %s: live, without a replay: %s%n", db, latency(baseline));
        System.out.printf("[replay-under-load] %s: live, during the replay: %s%n", db, latency(during));
    }

    @AfterEach
    void stopCounting() {
        if (counting != null) {
            counting.stop(0);
        }
    }
}
