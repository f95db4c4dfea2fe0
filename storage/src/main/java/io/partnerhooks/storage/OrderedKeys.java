package io.partnerhooks.storage;

import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The chain of one (endpoint, ordering key) on an ordered endpoint (ADR 11). Its pending
 * deliveries are one <em>head</em>, due or leased or waiting for its retry like any delivery, and
 * <em>held</em> rows behind it, whose {@code next_attempt_at} is {@link #HELD} plus their event's
 * sequence: far beyond any due time, so no claim ever reaches them, and in sequence order in the
 * {@code deliveries_ordered} index. Whatever ends the head (delivered, finally failed, superseded)
 * promotes the lowest held row in the same transaction.
 *
 * <p>Every change of a chain runs under the key's lock: the row of {@code subject_sequences}
 * that numbers the key's events. A publisher holds it already (it took the next sequence number);
 * completions, retries, requeues and replays take it through the dialect's
 * {@link io.partnerhooks.storage.jdbc.ClaimStrategy#lockChains} before they look at the chain, so
 * a new held row and the end of its head can never miss each other. SQLite takes one writer at a
 * time and needs no lock.
 */
final class OrderedKeys {
    private OrderedKeys() {}

    /** 2^62 ms: about 146 million years, so no due time or lease end ever reaches it. */
    static final long HELD = 1L << 62;

    /** One chain: an endpoint and an ordering key (of that endpoint's partner). */
    record Key(String endpointId, String orderingKey) {}

    /** Of these chains, the ones that have a head now (a pending row that is not held): one statement. */
    static Set<Key> withHead(Connection c, Set<Key> keys) throws SQLException {
        Set<Key> out = new HashSet<>();
        if (keys.isEmpty()) {
            return out;
        }
        StringBuilder values = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Key k : keys) {
            values.append(values.isEmpty() ? "" : ", ").append("(?, ?)");
            params.add(k.endpointId());
            params.add(k.orderingKey());
        }
        params.add(HELD);
        Jdbc.query(
                c,
                "SELECT DISTINCT endpoint_id, ordering_key FROM deliveries"
                        + " WHERE (endpoint_id, ordering_key) IN (VALUES " + values + ")"
                        + " AND status = 'pending' AND ordering_key IS NOT NULL AND next_attempt_at < ?",
                rs -> out.add(new Key(rs.getString(1), rs.getString(2))),
                params.toArray());
        return out;
    }

    /**
     * The promotion of each chain, as one JDBC batch: when the chain has no head, its lowest held
     * row becomes due now. A chain with a head, or without held rows, is left as it is. The
     * caller holds the keys' locks.
     */
    static void promote(Connection c, Set<Key> keys, long nowMs) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET next_attempt_at = ?, updated_at = ?"
                + " WHERE id = (SELECT h.id FROM deliveries h WHERE h.endpoint_id = ? AND h.ordering_key = ?"
                + " AND h.status = 'pending' AND h.ordering_key IS NOT NULL AND h.next_attempt_at >= ?"
                + " ORDER BY h.next_attempt_at LIMIT 1)"
                + " AND NOT EXISTS (SELECT 1 FROM deliveries u WHERE u.endpoint_id = ? AND u.ordering_key = ?"
                + " AND u.status = 'pending' AND u.ordering_key IS NOT NULL AND u.next_attempt_at < ?)")) {
            List<Key> sorted = new ArrayList<>(keys);
            sorted.sort(Comparator.comparing(Key::endpointId).thenComparing(Key::orderingKey));
            for (Key k : sorted) {
                Jdbc.bind(
                        ps, nowMs, nowMs, k.endpointId(), k.orderingKey(), HELD, k.endpointId(), k.orderingKey(), HELD);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The {@code next_attempt_at} a delivery row gets when it becomes pending again (retry, requeue,
     * resend): due at {@code ?} when its chain has no other head, else held at its sequence. For
     * an UPDATE or INSERT ... SELECT on {@code deliveries} (the row's columns unqualified through
     * {@code alias}); binds: {@link #HELD} twice, then the due time.
     */
    static String pendingAgainAt(String alias) {
        return "CASE WHEN " + alias + ".ordering_key IS NOT NULL AND EXISTS (SELECT 1 FROM deliveries u"
                + " WHERE u.endpoint_id = " + alias + ".endpoint_id AND u.ordering_key = " + alias + ".ordering_key"
                + " AND u.status = 'pending' AND u.ordering_key IS NOT NULL AND u.next_attempt_at < ?"
                + " AND u.id <> " + alias + ".id)"
                + " THEN ? + (SELECT ev.sequence FROM events ev WHERE ev.id = " + alias + ".event_id) ELSE ? END";
    }
}
