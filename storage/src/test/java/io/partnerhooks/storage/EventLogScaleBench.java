package io.partnerhooks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.storage.jdbc.Jdbc;
import io.partnerhooks.storage.testing.PostgresServer;
import io.partnerhooks.storage.testing.TestKeys;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Times GET /v1/events' store query on a million events, on both databases, through the real
 * JdbcEventStore: 1,000,000 events of one partner (8 types under 3 prefixes, 100 workspaces, one
 * delivery each, 1 in 1,000 failed) beside 100,000 of another. Prints the median of 5 runs per
 * filter; asserts only that each page is full. Opt-in, it takes minutes:
 * {@code mvn -o -pl storage -am test -Dtest=EventLogScaleBench -Dsurefire.failIfNoSpecifiedTests=false -Dpartnerhooks.bench=true}
 */
class EventLogScaleBench {
    static final int EVENTS = Integer.getInteger("partnerhooks.bench.events", 1_000_000);
    static final String[] TYPES = {
        "channel.ready",
        "channel.live",
        "channel.disconnected",
        "workspace.quota.reached",
        "workspace.quota.warning",
        "package.updated",
        "package.expired",
        "client.created"
    };
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sqlite() throws Exception {
        run("sqlite", () -> Database.open("", dir, TestKeys.box()));
    }

    @Test
    void postgres() throws Exception {
        run("postgres", () -> Database.open(PostgresServer.newDatabaseUrl(), Path.of("unused"), TestKeys.box()));
    }

    private void run(String name, Supplier<JdbcStore> open) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("partnerhooks.bench"), "set -Dpartnerhooks.bench=true to run");
        try (JdbcStore store = open.get()) {
            long t = System.nanoTime();
            fill(store, "ptn_A", EVENTS);
            fill(store, "ptn_B", EVENTS / 10);
            store.jdbc().update("ANALYZE");
            System.out.printf(
                    "[event-log %s] %,d + %,d events written in %d s%n",
                    name, EVENTS, EVENTS / 10, (System.nanoTime() - t) / 1_000_000_000);
            PartnerId a = new PartnerId("ptn_A");
            Instant mid = T0.plusMillis(EVENTS / 2 * 100L);
            Instant last = T0.plusMillis(EVENTS * 100L);
            String deep = store.jdbc()
                    .query(
                            "SELECT id FROM events WHERE partner_id = 'ptn_A' ORDER BY id DESC" + " LIMIT 1 OFFSET "
                                    + (EVENTS * 9 / 10),
                            rs -> rs.getString(1))
                    .get(0);
            Object[][] cases = {
                {"newest page", EventFilter.ALL, null},
                {"type exact", new EventFilter("workspace.quota.reached", null, null, false, null, null, null), null},
                {"type prefix.*", new EventFilter("workspace.quota.*", null, null, false, null, null, null), null},
                {"workspace_id", new EventFilter(null, null, null, false, "ws_042", null, null), null},
                {
                    "since+until (1 h mid-log)",
                    new EventFilter(null, mid, mid.plusSeconds(3600), false, null, null, null),
                    null
                },
                {
                    "since (last hour)",
                    new EventFilter(null, last.minusSeconds(3600), null, false, null, null, null),
                    null
                },
                {"status=failed", new EventFilter(null, null, null, true, null, null, null), null},
                {"type + workspace_id", new EventFilter("channel.live", null, null, false, "ws_042", null, null), null},
                {"cursor at row 900,000", EventFilter.ALL, deep},
            };
            for (Object[] c : cases) {
                double[] ms = new double[5];
                Page<Event> page = null;
                for (int i = 0; i < ms.length; i++) {
                    long s = System.nanoTime();
                    page = store.events().list(a, (EventFilter) c[1], 50, (String) c[2]);
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("[event-log %s] %-28s median %8.2f ms (max %8.2f)%n", name, c[0], ms[2], ms[4]);
                assertThat(page.items()).as((String) c[0]).hasSize(50);
            }
        }
    }

    private static void fill(JdbcStore store, String partner, int n) {
        SplittableRandom rnd = new SplittableRandom(partner.hashCode());
        store.jdbc()
                .update(
                        "INSERT INTO partners (id, name, api_key_hash, created_at) VALUES (?, ?, ?, ?)",
                        partner,
                        partner,
                        "hash-" + partner,
                        T0.toEpochMilli());
        store.jdbc()
                .update(
                        "INSERT INTO endpoints (id, partner_id, url, event_types, enabled, secret, created_at, updated_at)"
                                + " VALUES (?, ?, 'https://x.test', '[\"*\"]', ?, 's', ?, ?)",
                        "ep_" + partner,
                        partner,
                        true,
                        T0.toEpochMilli(),
                        T0.toEpochMilli());
        int batch = 10_000;
        for (int from = 0; from < n; from += batch) {
            int start = from;
            store.jdbc().inTransaction(c -> {
                try (PreparedStatement ev = c.prepareStatement(
                                "INSERT INTO events (id, partner_id, type, subject, data,"
                                        + " created_at, subject_key, sequence, workspace_id) VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?)");
                        PreparedStatement dl = c.prepareStatement("INSERT INTO deliveries (id, event_id, endpoint_id,"
                                + " partner_id, status, attempt_count, next_attempt_at, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)")) {
                    for (int i = start; i < Math.min(n, start + batch); i++) {
                        long ms = T0.toEpochMilli() + i * 100L;
                        IdGenerator ids = new IdGenerator(Clock.fixed(Instant.ofEpochMilli(ms), ZoneOffset.UTC), rnd);
                        String eid = ids.next(Ids.EVENT);
                        String ws = String.format("ws_%03d", rnd.nextInt(100));
                        Jdbc.bind(
                                ev,
                                eid,
                                partner,
                                TYPES[i % TYPES.length],
                                "{\"workspace_id\":\"" + ws + "\"}",
                                ms,
                                "workspace_id:" + ws,
                                (long) i,
                                ws);
                        ev.addBatch();
                        Jdbc.bind(
                                dl,
                                ids.next(Ids.DELIVERY),
                                eid,
                                "ep_" + partner,
                                partner,
                                i % 1000 == 7 ? "failed" : "delivered",
                                ms,
                                ms,
                                ms);
                        dl.addBatch();
                    }
                    ev.executeBatch();
                    dl.executeBatch();
                }
                return null;
            });
        }
    }
}
