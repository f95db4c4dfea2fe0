package io.partnerhooks.storage;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue.Held;
import io.partnerhooks.core.port.DeliveryQueue.Stats;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The queue as an operator watches it, and when the next delivery falls due; reads only. */
final class QueueStatistics {
    private final Jdbc jdbc;

    QueueStatistics(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Due deliveries by what their endpoint lets happen, endpoint by endpoint: for each endpoint a
     * count of its due rows and its oldest pending row (two index ranges on deliveries_endpoint_due),
     * so the cost follows the due rows and the endpoints, never the whole deliveries table. A cooling
     * endpoint whose probe time has come counts one row as sendable from that time; while that probe
     * is in flight (its row leased, so not due) the next row stands in for it, which shows as an age
     * of at most the probe's answer time. Rows waiting behind an endpoint's in-flight limit (a slow
     * endpoint) count as sendable: telling them apart would need the leased rows counted too, and
     * healthy endpoints touch their limit all the time.
     */
    private static final String DUE_BY_ENDPOINT_STATE = "WITH x AS MATERIALIZED (SELECT CASE WHEN e.enabled = ?"
            + " THEN (CASE WHEN e.probe_after IS NOT NULL THEN 'cooldown'"
            + " WHEN e.rate_limit_per_second > 0 THEN 'rate_limited' ELSE 'sendable' END) ELSE 'disabled' END AS state,"
            + " e.probe_after,"
            + " (SELECT COUNT(*) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending'"
            + " AND d.next_attempt_at <= ?) AS n,"
            + " (SELECT MIN(d.next_attempt_at) FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending') AS head"
            + " FROM endpoints e WHERE e.deleted_at IS NULL)"
            // MATERIALIZED: each endpoint's two subqueries run once, not once per use below (both dialects)
            + " SELECT x.state, SUM(x.n), MIN(x.head), SUM(CASE WHEN x.probe_after <= ? THEN 1 ELSE 0 END),"
            + " MIN(CASE WHEN x.probe_after <= ? THEN (CASE WHEN x.probe_after > x.head THEN x.probe_after ELSE x.head END) END)"
            + " FROM x WHERE x.n > 0 GROUP BY x.state";

    Stats stats(Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.withConnection(c -> {
            long[] q = Jdbc.query(
                            c,
                            "SELECT COUNT(*), SUM(CASE WHEN next_attempt_at <= ? THEN 1 ELSE 0 END)"
                                    + " FROM deliveries WHERE status = 'pending'",
                            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                            nowMs)
                    .get(0);
            long[] e = Jdbc.query(
                            c,
                            "SELECT SUM(CASE WHEN probe_after IS NOT NULL AND enabled = ? THEN 1 ELSE 0 END),"
                                    + " SUM(CASE WHEN enabled = ? THEN 1 ELSE 0 END) FROM endpoints WHERE deleted_at IS NULL",
                            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                            true,
                            false)
                    .get(0);
            long cooldown = 0;
            long disabled = 0;
            long rateLimited = 0;
            Long oldest = null;
            record ByState(String state, long due, Long head, long probes, Long probeSince) {}
            for (ByState s : Jdbc.query(
                    c,
                    DUE_BY_ENDPOINT_STATE,
                    rs -> new ByState(
                            rs.getString(1), rs.getLong(2), nullableLong(rs, 3), rs.getLong(4), nullableLong(rs, 5)),
                    true,
                    nowMs,
                    nowMs,
                    nowMs)) {
                switch (s.state()) {
                    case "sendable" -> oldest = earlier(oldest, s.head());
                    case "cooldown" -> {
                        // once its probe is due, one delivery of a cooling endpoint may go (since then)
                        cooldown += s.due() - s.probes();
                        oldest = earlier(oldest, s.probeSince());
                    }
                    case "disabled" -> disabled += s.due();
                    case "rate_limited" -> rateLimited += s.due();
                    default -> throw new IllegalStateException(s.state());
                }
            }
            return new Stats(
                    q[0],
                    q[1],
                    oldest == null ? null : Instant.ofEpochMilli(oldest),
                    e[0],
                    e[1],
                    new Held(cooldown, disabled, rateLimited));
        });
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Long earlier(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    Optional<Instant> nextDueAt(Set<EndpointId> excluded) {
        List<Object> params = new ArrayList<>();
        params.add(true);
        excluded.forEach(e -> params.add(e.value()));
        // endpoint by endpoint, the oldest pending row of each (one index probe on
        // deliveries_endpoint_due), so disabled endpoints' rows are never read
        List<Long> due = jdbc.query(
                "SELECT MIN(CASE WHEN probe_after IS NOT NULL AND probe_after > at THEN probe_after"
                        + " ELSE at END) FROM (SELECT e.probe_after, (SELECT d.next_attempt_at FROM deliveries d"
                        + " WHERE d.endpoint_id = e.id AND d.status = 'pending' ORDER BY d.next_attempt_at LIMIT 1) AS at"
                        + " FROM endpoints e WHERE e.enabled = ? AND e.deleted_at IS NULL"
                        + (excluded.isEmpty() ? "" : " AND e.id NOT IN (" + Jdbc.placeholders(excluded.size()) + ")")
                        + ") x WHERE at IS NOT NULL",
                rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                },
                params.toArray());
        return due.isEmpty() || due.get(0) == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(due.get(0)));
    }
}
