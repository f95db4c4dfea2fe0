package io.partnerhooks.storage.postgres;

import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** PostgreSQL: many nodes claim at once; each skips the rows the others are claiming, and chains are locked by row. */
final class PostgresClaimStrategy implements ClaimStrategy {
    /**
     * One statement: for every claimable endpoint its oldest due rows up to its cap (an index range
     * each, on deliveries_endpoint_due), the oldest of those up to the limit; push their due time to
     * the lease's end and stamp a fresh token. Rows of endpoints that are not claimable (disabled,
     * hanging at their limit) are never read, however many are due. Other nodes' rows being claimed
     * at this moment are skipped.
     */
    private static String lateralClaimSql(int excluded) {
        return "UPDATE deliveries SET lease_token = ?, next_attempt_at = ?, updated_at = ?"
                + " WHERE id IN (SELECT c.id FROM endpoints e CROSS JOIN LATERAL (SELECT d.id, d.next_attempt_at"
                + " FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?"
                + " ORDER BY d.next_attempt_at LIMIT " + CAP + " FOR UPDATE OF d SKIP LOCKED) c"
                + " WHERE " + ClaimStrategy.claimableEndpoints(excluded)
                + " ORDER BY c.next_attempt_at LIMIT ?)"
                + " RETURNING id, event_id, endpoint_id, attempt_count";
    }

    @Override
    public List<Row> claim(Connection c, Request r) throws SQLException {
        List<Object> params =
                new ArrayList<>(List.of(r.token(), r.leaseUntilMs(), r.nowMs(), r.nowMs(), true, r.nowMs()));
        params.addAll(r.excluded());
        params.add(r.limit());
        return Jdbc.query(
                c,
                lateralClaimSql(r.excluded().size()),
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)),
                params.toArray());
    }

    /** In one statement and in sorted order (as publishers take them), so two transactions that lock several keys cannot deadlock. */
    @Override
    public void lockChains(Connection c, Set<ChainLock> locks) throws SQLException {
        if (locks.isEmpty()) {
            return;
        }
        List<ChainLock> sorted = new ArrayList<>(new TreeSet<>(locks));
        StringBuilder values = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (ChainLock l : sorted) {
            values.append(values.isEmpty() ? "" : ", ").append("(?, ?)");
            params.add(l.partnerId());
            params.add(l.orderingKey());
        }
        Jdbc.query(
                c,
                "SELECT 1 FROM subject_sequences WHERE (partner_id, subject_key) IN (VALUES " + values + ")"
                        + " ORDER BY partner_id, subject_key FOR UPDATE",
                rs -> 1,
                params.toArray());
    }
}
