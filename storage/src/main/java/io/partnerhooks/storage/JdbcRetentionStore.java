package io.partnerhooks.storage;

import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Deletes old events oldest first, a batch per transaction (and, the same way, Meta's callbacks and
 * relay dedupe keys). The deliveries of the chosen events are
 * locked before they are checked, so a retry that turns a failed delivery back to pending either
 * waits for the batch (and finds the rows gone: 404) or wins, and then its event is kept.
 */
final class JdbcRetentionStore implements RetentionStore {
    private final Jdbc jdbc;
    private final Dialect dialect;

    JdbcRetentionStore(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Override
    public Removed removeBefore(Instant cutoff, int maxEvents) {
        return jdbc.inTransaction(c -> {
            List<String> candidates = Jdbc.query(
                    c,
                    "SELECT e.id FROM events e WHERE e.created_at < ? AND NOT EXISTS"
                            + " (SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status = 'pending')"
                            + " ORDER BY e.created_at LIMIT ?",
                    rs -> rs.getString(1),
                    cutoff.toEpochMilli(),
                    maxEvents);
            if (candidates.isEmpty()) {
                return new Removed(0, 0, 0);
            }
            // Lock their deliveries first, then drop any event that became pending in the meantime.
            lock(c, candidates);
            Set<String> keep = new HashSet<>(Jdbc.query(
                    c,
                    "SELECT event_id FROM deliveries WHERE event_id IN (" + Jdbc.placeholders(candidates.size())
                            + ") AND status = 'pending'",
                    rs -> rs.getString(1),
                    candidates.toArray()));
            List<String> ids =
                    candidates.stream().filter(id -> !keep.contains(id)).toList();
            if (ids.isEmpty()) {
                return new Removed(0, 0, 0);
            }
            String in = "(" + Jdbc.placeholders(ids.size()) + ")";
            Object[] args = ids.toArray();
            int attempts = Jdbc.update(
                    c,
                    "DELETE FROM attempts WHERE delivery_id IN (SELECT id FROM deliveries" + " WHERE event_id IN " + in
                            + ")",
                    args);
            int deliveries = Jdbc.update(c, "DELETE FROM deliveries WHERE event_id IN " + in, args);
            int events = Jdbc.update(c, "DELETE FROM events WHERE id IN " + in, args);
            return new Removed(events, deliveries, attempts);
        });
    }

    @Override
    public int removeMetaCallbacksBefore(Instant cutoff, int max) {
        return jdbc.inTransaction(c -> Jdbc.update(
                c,
                "DELETE FROM meta_callbacks WHERE id IN (SELECT id FROM meta_callbacks"
                        + " WHERE received_at < ? ORDER BY received_at LIMIT ?)",
                cutoff.toEpochMilli(),
                max));
    }

    @Override
    public int removeMetaRelayedBefore(Instant cutoff, int max) {
        return jdbc.inTransaction(c -> {
            // the monotonic webhooks' per-message marks live as long as the relay keys: a status
            // older than that is past Meta's redelivery window and cannot come late any more
            Jdbc.update(
                    c,
                    "DELETE FROM message_status_marks WHERE (endpoint_id, wamid) IN (SELECT endpoint_id, wamid"
                            + " FROM message_status_marks WHERE updated_at < ? ORDER BY updated_at LIMIT ?)",
                    cutoff.toEpochMilli(),
                    max);
            return Jdbc.update(
                    c,
                    "DELETE FROM meta_relayed WHERE (channel_id, item_key) IN"
                            + " (SELECT channel_id, item_key FROM meta_relayed WHERE created_at < ? ORDER BY created_at LIMIT ?)",
                    cutoff.toEpochMilli(),
                    max);
        });
    }

    private void lock(Connection c, List<String> eventIds) throws SQLException {
        if (!dialect.rowLockClause().isEmpty()) {
            Jdbc.query(
                    c,
                    "SELECT id FROM deliveries WHERE event_id IN (" + Jdbc.placeholders(eventIds.size()) + ")"
                            + dialect.rowLockClause(),
                    rs -> rs.getString(1),
                    eventIds.toArray());
        }
    }
}
