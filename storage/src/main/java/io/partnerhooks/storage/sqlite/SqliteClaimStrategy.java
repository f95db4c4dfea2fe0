package io.partnerhooks.storage.sqlite;

import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** SQLite: writers take turns anyway and a statement costs no round trip. */
final class SqliteClaimStrategy implements ClaimStrategy {
    private record Due(String id, long at) {}

    private record Candidate(String id, int cap) {}

    /**
     * The claimable endpoints with due work, then each one's oldest due rows up to its cap (an index
     * range on deliveries_endpoint_due), the oldest of all those up to the limit, leased in one update.
     */
    @Override
    public List<Row> claim(Connection c, Request r) throws SQLException {
        long nowMs = r.nowMs();
        int limit = r.limit();
        List<Object> params = new ArrayList<>(List.of(true, nowMs));
        params.addAll(r.excluded());
        params.add(nowMs);
        List<Candidate> candidates = Jdbc.query(
                c,
                "SELECT e.id, " + CAP + " FROM endpoints e WHERE "
                        + ClaimStrategy.claimableEndpoints(r.excluded().size())
                        + " AND EXISTS (SELECT 1 FROM deliveries d"
                        + " WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?)",
                rs -> new Candidate(rs.getString(1), rs.getInt(2)),
                params.toArray());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, next_attempt_at FROM deliveries"
                        + " WHERE endpoint_id = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?")) {
            for (Candidate e : candidates) {
                Jdbc.bind(ps, e.id(), nowMs, Math.max(1, Math.min(e.cap(), limit)));
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Due(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
        }
        if (due.isEmpty()) {
            return List.of();
        }
        due.sort(Comparator.comparingLong(Due::at));
        List<Object> ids = new ArrayList<>(List.of(r.token(), r.leaseUntilMs(), nowMs));
        for (int i = 0; i < due.size() && i < limit; i++) {
            ids.add(due.get(i).id());
        }
        return Jdbc.query(
                c,
                "UPDATE deliveries SET lease_token = ?, next_attempt_at = ?, updated_at = ?"
                        + " WHERE status = 'pending' AND id IN (" + Jdbc.placeholders(ids.size() - 3) + ")"
                        + " RETURNING id, event_id, endpoint_id, attempt_count",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                ids.toArray());
    }

    /** One writer at a time: a chain cannot change under anyone. */
    @Override
    public void lockChains(Connection c, Set<ChainLock> locks) {}
}
