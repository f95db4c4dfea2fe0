package io.partnerhooks.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.partnerhooks.core.usecase.ApplyRetention;
import io.partnerhooks.server.support.Api;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Retention removes a large backlog of old history (real batches, real pauses) while new events
 * are published and delivered; prints how long both took. A figure-producing check, run by
 * Failsafe in {@code verify} (the subclasses are *IT).
 */
public abstract class RetentionUnderLoad extends AppTestBase {
    static final int OLD_EVENTS = 20_000;

    /** Old history written straight into the tables: each event with one delivered delivery and one attempt. */
    private void insertOldHistory(String partnerId, String endpointId) {
        long at = T0.minus(Duration.ofDays(40)).toEpochMilli();
        app.store().jdbc().inTransaction(c -> {
            try (PreparedStatement e =
                            c.prepareStatement("INSERT INTO events (id, partner_id, type, subject, data, created_at)"
                                    + " VALUES (?, ?, 'package.updated', '{}', '{}', ?)");
                    PreparedStatement d =
                            c.prepareStatement("INSERT INTO deliveries (id, event_id, endpoint_id, partner_id,"
                                    + " status, attempt_count, next_attempt_at, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, 'delivered', 1, ?, ?, ?)");
                    PreparedStatement a =
                            c.prepareStatement("INSERT INTO attempts (id, delivery_id, number, attempted_at,"
                                    + " duration_ms, http_status) VALUES (?, ?, 1, ?, 12, 200)")) {
                for (int i = 0; i < OLD_EVENTS; i++) {
                    String n = String.format("%026d", i);
                    e.setString(1, "evt_" + n);
                    e.setString(2, partnerId);
                    e.setLong(3, at + i);
                    e.addBatch();
                    d.setString(1, "dlv_" + n);
                    d.setString(2, "evt_" + n);
                    d.setString(3, endpointId);
                    d.setString(4, partnerId);
                    d.setLong(5, at + i);
                    d.setLong(6, at + i);
                    d.setLong(7, at + i);
                    d.addBatch();
                    a.setString(1, "att_" + n);
                    a.setString(2, "dlv_" + n);
                    a.setLong(3, at + i);
                    a.addBatch();
                }
                e.executeBatch();
                d.executeBatch();
                a.executeBatch();
            }
            return null;
        });
    }

    /** Publishes one event every 20 ms while {@code running} says so; returns publish time by event id. */
    private Map<String, Instant> publishPaced(BooleanSupplier running, String partnerId, List<Long> publishMs) {
        Map<String, Instant> at = new HashMap<>();
        while (running.getAsBoolean()) {
            long t = System.nanoTime();
            Instant now = Instant.now();
            at.put(publish(partnerId, ANY_TYPE, "{}"), now);
            publishMs.add((System.nanoTime() - t) / 1_000_000);
            LockSupport.parkNanos(20_000_000);
        }
        return at;
    }

    /** p50 / p95 / max milliseconds from publish to arrival at the receiver. */
    private String arrival(Map<String, Instant> publishedAt) throws Exception {
        List<Long> ms = new ArrayList<>();
        for (var r : receiver.received()) {
            Instant sent = publishedAt.get(Api.JSON.readTree(r.body()).get("id").asText());
            if (sent != null) {
                ms.add(Duration.between(sent, r.arrivedAt()).toMillis());
            }
        }
        ms.sort(null);
        return "p50 " + ms.get(ms.size() / 2) + " ms, p95 " + ms.get(ms.size() * 95 / 100) + " ms, max "
                + ms.get(ms.size() - 1) + " ms over " + ms.size() + " events";
    }

    @Test
    void deliveryGoesOnWhileABacklogIsRemoved() throws Exception {
        String[] p = partner("Acme");
        String ep = endpoint(p[1], receiver.url("/hooks"), "[\"*\"]").get("id").asText();
        insertOldHistory(p[0], ep);

        // baseline: the same paced publishing for 3 s without retention
        long baselineEnd = System.nanoTime() + 3_000_000_000L;
        List<Long> basePublish = new ArrayList<>();
        var baseline = publishPaced(() -> System.nanoTime() < baselineEnd, p[0], basePublish);
        await().atMost(WAIT).until(() -> receiver.received().size() == baseline.size());
        String baseArrival = arrival(baseline);

        long started = System.nanoTime();
        CompletableFuture<ApplyRetention.Totals> run =
                CompletableFuture.supplyAsync(() -> app.runRetention().orElseThrow());
        List<Long> publishMs = new ArrayList<>();
        var during = publishPaced(() -> !run.isDone(), p[0], publishMs);
        ApplyRetention.Totals totals = run.join();
        long retentionMs = (System.nanoTime() - started) / 1_000_000;
        await().atMost(WAIT).until(() -> receiver.received().size() == baseline.size() + during.size());

        assertThat(totals.events()).isEqualTo(OLD_EVENTS);
        assertThat(totals.attempts()).isEqualTo(OLD_EVENTS);
        assertThat(app.store()
                        .jdbc()
                        .query("SELECT COUNT(*) FROM events", rs -> rs.getLong(1))
                        .get(0))
                .isEqualTo(baseline.size() + during.size());
        publishMs.sort(null);
        basePublish.sort(null);
        System.out.printf(
                "[retention-under-load] %s: removed %d events, %d deliveries, %d attempts in %d batches, %d ms"
                        + " (of which pauses %d ms)%n",
                app.store().dialect().name(),
                totals.events(),
                totals.deliveries(),
                totals.attempts(),
                totals.batches(),
                retentionMs,
                (totals.batches() - 1) * ApplyRetention.DEFAULT_PAUSE.toMillis());
        System.out.printf(
                "[retention-under-load] %s: without retention: publish p50 %d ms, max %d ms; arrival %s%n",
                app.store().dialect().name(),
                basePublish.get(basePublish.size() / 2),
                basePublish.get(basePublish.size() - 1),
                baseArrival);
        System.out.printf(
                "[retention-under-load] %s: during retention: publish p50 %d ms, max %d ms; arrival %s%n",
                app.store().dialect().name(),
                publishMs.get(publishMs.size() / 2),
                publishMs.get(publishMs.size() - 1),
                arrival(during));
    }
}
