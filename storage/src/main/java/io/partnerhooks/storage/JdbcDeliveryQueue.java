package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

final class JdbcDeliveryQueue implements DeliveryQueue {
    private final Jdbc jdbc;
    private final Dialect dialect;
    private final JdbcEndpointStore.Mapper endpoints;
    private final io.partnerhooks.storage.jdbc.GroupCommit writes;

    JdbcDeliveryQueue(Jdbc jdbc, Dialect dialect, JdbcEndpointStore.Mapper endpoints,
            io.partnerhooks.storage.jdbc.GroupCommit writes) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.endpoints = endpoints;
        this.writes = writes;
    }

    private record Row(String id, String eventId, String endpointId, int attempts) {}

    /**
     * How many rows one claim may take of an endpoint: one while it waits for a cooldown probe or
     * is rate limited (the dispatcher would hold back the rest), its in-flight limit when ordered,
     * else {@link DeliveryQueue#ROWS_PER_SLOT} per slot (the ones beyond its free slots wait on the
     * claiming node, so a busy endpoint is not claimed for once per finished send).
     */
    private static final String CAP = "CASE WHEN e.probe_after IS NOT NULL OR e.rate_limit_per_second > 0 THEN 1"
            + " WHEN e.ordering = 'ordered' THEN e.max_in_flight"
            + " ELSE e.max_in_flight * " + DeliveryQueue.ROWS_PER_SLOT + " END";

    /** Endpoints that may be claimed for: enabled, not waiting for a cooldown probe, not excluded. */
    private static String claimableEndpoints(int excluded) {
        return "e.enabled = ? AND e.deleted_at IS NULL AND (e.probe_after IS NULL OR e.probe_after <= ?)"
                + (excluded == 0 ? "" : " AND e.id NOT IN (" + Jdbc.placeholders(excluded) + ")");
    }

    /**
     * PostgreSQL, one statement: for every claimable endpoint its oldest due rows up to its cap (an
     * index range each, on deliveries_endpoint_due), the oldest of those up to the limit; push their
     * due time to the lease's end and stamp a fresh token. Rows of endpoints that are not claimable
     * (disabled, hanging at their limit) are never read, however many are due. Other nodes' rows
     * being claimed at this moment are skipped.
     */
    private String lateralClaimSql(int excluded) {
        return "UPDATE deliveries SET lease_token = ?, next_attempt_at = ?, updated_at = ?"
                + " WHERE id IN (SELECT c.id FROM endpoints e CROSS JOIN LATERAL (SELECT d.id, d.next_attempt_at"
                + " FROM deliveries d WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?"
                + " ORDER BY d.next_attempt_at LIMIT " + CAP + dialect.claimLockClause() + ") c"
                + " WHERE " + claimableEndpoints(excluded)
                + " ORDER BY c.next_attempt_at LIMIT ?)"
                + " RETURNING id, event_id, endpoint_id, attempt_count";
    }

    private record Due(String id, long at) {}

    @Override
    public List<Claimed> claimDue(Instant now, int limit, Duration lease, Set<EndpointId> excluded) {
        if (limit <= 0) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            List<Row> rows = dialect.serializesWrites()
                    ? claimEndpointByEndpoint(c, token, nowMs, limit, lease, excluded)
                    : claimLateral(c, token, nowMs, limit, lease, excluded);
            if (rows.isEmpty()) {
                return List.of();
            }
            List<Object> ids = new ArrayList<>();
            for (Row r : rows) {
                ids.add(r.id());
            }
            Map<String, Event> events = new HashMap<>();
            Map<String, Endpoint> eps = new HashMap<>();
            String in = Jdbc.placeholders(ids.size());
            Jdbc.query(c, "SELECT " + prefixed("ev", JdbcEventStore.COLUMNS) + " FROM events ev WHERE ev.id IN"
                    + " (SELECT event_id FROM deliveries WHERE id IN (" + in + "))", rs -> {
                        Event e = JdbcEventStore.map(rs);
                        return events.put(e.id().value(), e);
                    }, ids.toArray());
            Jdbc.query(c, "SELECT " + prefixed("ep", JdbcEndpointStore.COLUMNS) + " FROM endpoints ep WHERE ep.id IN"
                    + " (SELECT endpoint_id FROM deliveries WHERE id IN (" + in + "))", rs -> {
                        Endpoint e = endpoints.map(rs);
                        return eps.put(e.id().value(), e);
                    }, ids.toArray());
            List<Claimed> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Claimed(new DeliveryId(r.id()), token, r.attempts(), events.get(r.eventId()),
                        eps.get(r.endpointId())));
            }
            return out;
        });
    }

    private List<Row> claimLateral(Connection c, String token, long nowMs, int limit, Duration lease,
            Set<EndpointId> excluded) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(token, nowMs + lease.toMillis(), nowMs, nowMs, true, nowMs));
        for (EndpointId e : excluded) {
            params.add(e.value());
        }
        params.add(limit);
        return Jdbc.query(c, lateralClaimSql(excluded.size()), rs -> new Row(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getInt(4)), params.toArray());
    }

    /**
     * SQLite, where writers take turns anyway and a statement costs no round trip: the claimable
     * endpoints with due work, then each one's oldest due rows up to its cap (an index range on
     * deliveries_endpoint_due), the oldest of all those up to the limit, leased in one update.
     */
    private List<Row> claimEndpointByEndpoint(Connection c, String token, long nowMs, int limit, Duration lease,
            Set<EndpointId> excluded) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(true, nowMs));
        for (EndpointId e : excluded) {
            params.add(e.value());
        }
        params.add(nowMs);
        record Candidate(String id, int cap) {}
        List<Candidate> candidates = Jdbc.query(c, "SELECT e.id, " + CAP + " FROM endpoints e WHERE "
                + claimableEndpoints(excluded.size()) + " AND EXISTS (SELECT 1 FROM deliveries d"
                + " WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= ?)",
                rs -> new Candidate(rs.getString(1), rs.getInt(2)), params.toArray());
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<Due> due = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, next_attempt_at FROM deliveries"
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
        due.sort(java.util.Comparator.comparingLong(Due::at));
        List<Object> ids = new ArrayList<>(List.of(token, nowMs + lease.toMillis(), nowMs));
        for (int i = 0; i < due.size() && i < limit; i++) {
            ids.add(due.get(i).id());
        }
        return Jdbc.query(c, "UPDATE deliveries SET lease_token = ?, next_attempt_at = ?, updated_at = ?"
                + " WHERE status = 'pending' AND id IN (" + Jdbc.placeholders(ids.size() - 3) + ")"
                + " RETURNING id, event_id, endpoint_id, attempt_count",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4)), ids.toArray());
    }

    private static String prefixed(String alias, String columns) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns.split(",\\s*")) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(alias).append('.').append(col);
        }
        return sb.toString();
    }

    @Override
    public void release(List<Claimed> claimed, Instant dueAt) {
        if (claimed.isEmpty()) {
            return;
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE deliveries SET lease_token = NULL, next_attempt_at = ? WHERE id = ? AND lease_token = ?")) {
                for (Claimed x : claimed) {
                    Jdbc.bind(ps, dueAt.toEpochMilli(), x.id().value(), x.leaseToken());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public boolean complete(DeliveryId id, String leaseToken, Attempt a, Next next, EndpointReport report, Instant now) {
        long nowMs = now.toEpochMilli();
        String status;
        long nextAt;
        switch (next) {
            case Next.Done d -> {
                status = "delivered";
                nextAt = nowMs;
            }
            case Next.RetryAt r -> {
                status = "pending";
                nextAt = r.at().toEpochMilli();
            }
            case Next.GiveUp g -> {
                status = "failed";
                nextAt = nowMs;
            }
        }
        // outcomes of concurrent sends share one commit, and their rows one statement each
        return writes.runBatched(completeAll, new Completion(id, leaseToken, a, status, nextAt, report, now));
    }

    private record Completion(DeliveryId id, String leaseToken, Attempt attempt, String status, long nextAt,
            EndpointReport report, Instant now) {}

    private final io.partnerhooks.storage.jdbc.GroupCommit.BatchBlock<Completion, Boolean> completeAll = this::completeAll;

    /**
     * Records many outcomes with a fixed number of statements: the deliveries' updates as one JDBC
     * batch (checked by their lease tokens), their endpoints in one query, their attempts in one
     * batch insert, and one health update for all endpoints that answered well. Failures and gone
     * endpoints, which are rare, update their endpoint one by one in the callers' order.
     */
    private List<Boolean> completeAll(Connection c, List<Completion> items) throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement("UPDATE deliveries SET status = ?, attempt_count = attempt_count + 1,"
                + " next_attempt_at = ?, lease_token = NULL, updated_at = ? WHERE id = ? AND lease_token = ?")) {
            for (Completion x : items) {
                Jdbc.bind(ps, x.status(), x.nextAt(), x.now().toEpochMilli(), x.id().value(), x.leaseToken());
                ps.addBatch();
            }
            counts = ps.executeBatch();
        }
        List<Boolean> out = new ArrayList<>(items.size());
        List<Completion> recorded = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            boolean ok = counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
            out.add(ok);
            if (ok) {
                recorded.add(items.get(i));
            }
        }
        if (recorded.isEmpty()) {
            return out;
        }
        Map<String, String> endpointOf = new HashMap<>();
        Map<String, OrderedKeys.Lock> keyOf = new HashMap<>();
        List<Object> ids = new ArrayList<>();
        for (Completion x : recorded) {
            ids.add(x.id().value());
        }
        Jdbc.query(c, "SELECT id, endpoint_id, partner_id, ordering_key FROM deliveries WHERE id IN ("
                + Jdbc.placeholders(ids.size()) + ")", rs -> {
                    if (rs.getString(4) != null) {
                        keyOf.put(rs.getString(1), new OrderedKeys.Lock(rs.getString(3), rs.getString(4)));
                    }
                    return endpointOf.put(rs.getString(1), rs.getString(2));
                }, ids.toArray());
        if (!keyOf.isEmpty()) {
            promoteAfterFinal(c, recorded, endpointOf, keyOf);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attempts (id, delivery_id, number, attempted_at,"
                + " duration_ms, http_status, error_class, response_excerpt, request_headers, request_body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Completion x : recorded) {
                Attempt a = x.attempt();
                Jdbc.bind(ps, a.id().value(), x.id().value(), a.number(), a.attemptedAt().toEpochMilli(), a.durationMs(),
                        a.httpStatus(), a.errorClass(), a.responseExcerpt(),
                        JdbcEventStore.encodeHeaders(a.requestHeaders()), a.requestBody());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        boolean onlyHealthy = true;
        java.util.Set<String> healthy = new java.util.TreeSet<>();
        for (Completion x : recorded) {
            if (x.report() instanceof EndpointReport.Healthy) {
                healthy.add(endpointOf.get(x.id().value()));
            } else if (!(x.report() instanceof EndpointReport.None)) {
                onlyHealthy = false;
            }
        }
        if (onlyHealthy) {
            if (!healthy.isEmpty()) {
                // the WHERE keeps a healthy endpoint's row untouched: no write per success
                Jdbc.update(c, "UPDATE endpoints SET consecutive_failures = 0, failing_since = NULL, probe_after = NULL"
                        + " WHERE id IN (" + Jdbc.placeholders(healthy.size()) + ")"
                        + " AND (consecutive_failures <> 0 OR probe_after IS NOT NULL)", healthy.toArray());
            }
        } else {
            // by endpoint (a stable sort keeps each endpoint's reports in order): every batch locks
            // endpoint rows in the same order, so two nodes' batches cannot deadlock on them
            List<Completion> byEndpoint = new ArrayList<>(recorded);
            byEndpoint.sort(java.util.Comparator.comparing(x -> endpointOf.get(x.id().value())));
            for (Completion x : byEndpoint) {
                applyHealth(c, endpointOf.get(x.id().value()), x.report(), x.attempt().attemptedAt(), x.now());
            }
        }
        return out;
    }

    /**
     * Ordered deliveries that reached a final state let the next of their chain go: under the keys'
     * locks, each chain without a head promotes its lowest held row, in this commit (ADR 11).
     * Deliveries with no ordering key never come here.
     */
    private void promoteAfterFinal(Connection c, List<Completion> recorded, Map<String, String> endpointOf,
            Map<String, OrderedKeys.Lock> keyOf) throws SQLException {
        java.util.Set<OrderedKeys.Lock> locks = new java.util.HashSet<>();
        java.util.Set<OrderedKeys.Key> chains = new java.util.HashSet<>();
        long now = 0;
        for (Completion x : recorded) {
            OrderedKeys.Lock k = keyOf.get(x.id().value());
            if (k != null && !x.status().equals("pending")) {
                locks.add(k);
                chains.add(new OrderedKeys.Key(endpointOf.get(x.id().value()), k.orderingKey()));
                now = Math.max(now, x.now().toEpochMilli());
            }
        }
        OrderedKeys.lock(c, dialect.serializesWrites(), locks);
        OrderedKeys.promote(c, chains, now);
    }

    private static void applyHealth(Connection c, String endpointId, EndpointReport report, Instant attemptedAt,
            Instant now) throws SQLException {
        switch (report) {
            case EndpointReport.None n -> {
            }
            case EndpointReport.Healthy h ->
                // the WHERE keeps a healthy endpoint's row untouched: no write per success
                Jdbc.update(c, "UPDATE endpoints SET consecutive_failures = 0, failing_since = NULL, probe_after = NULL"
                        + " WHERE id = ? AND (consecutive_failures <> 0 OR probe_after IS NOT NULL)", endpointId);
            case EndpointReport.Gone g -> disable(c, endpointId, g.reason(), now);
            case EndpointReport.Failed f -> {
                List<long[]> streak = Jdbc.query(c, "UPDATE endpoints SET consecutive_failures = consecutive_failures + 1,"
                        + " failing_since = COALESCE(failing_since, ?) WHERE id = ?"
                        + " RETURNING consecutive_failures, failing_since",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)}, attemptedAt.toEpochMilli(), endpointId);
                if (streak.isEmpty()) {
                    return;
                }
                HealthVerdict v = f.judge().judge((int) streak.get(0)[0],
                        Instant.ofEpochMilli(streak.get(0)[1]), now);
                if (v.disableReason() != null) {
                    disable(c, endpointId, v.disableReason(), now);
                } else if (v.probeAfter() != null) {
                    Jdbc.update(c, "UPDATE endpoints SET probe_after = ? WHERE id = ?", v.probeAfter().toEpochMilli(),
                            endpointId);
                }
            }
        }
    }

    private static void disable(Connection c, String endpointId, String reason, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE endpoints SET enabled = ?, disabled_reason = ?, disabled_at = ?, probe_after = NULL"
                + " WHERE id = ? AND enabled = ?", false, reason, now.toEpochMilli(), endpointId, true);
    }

    @Override
    public RetryResult retryNow(PartnerId partner, DeliveryId id, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            // an ordered delivery goes again in its chain: at once when its key has no other head,
            // else held at its sequence behind that head (under the key's lock)
            lockChainOf(c, partner, "id = ?", id.value());
            int n = Jdbc.update(c, "UPDATE deliveries SET status = 'pending', next_attempt_at = "
                    + OrderedKeys.pendingAgainAt("deliveries") + ", updated_at = ?"
                    + " WHERE id = ? AND partner_id = ? AND status IN ('pending', 'failed', 'superseded')"
                    + " AND lease_token IS NULL",
                    OrderedKeys.HELD, OrderedKeys.HELD, nowMs, nowMs, id.value(), partner.value());
            if (n == 1) {
                return RetryResult.QUEUED;
            }
            List<String> status = Jdbc.query(c, "SELECT status FROM deliveries WHERE id = ? AND partner_id = ?",
                    rs -> rs.getString(1), id.value(), partner.value());
            if (status.isEmpty()) {
                return RetryResult.NOT_FOUND;
            }
            return status.get(0).equals("delivered") ? RetryResult.DELIVERED_ALREADY : RetryResult.IN_FLIGHT;
        });
    }

    @Override
    public Resent resend(PartnerId partner, DeliveryId id, DeliveryId newId, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            // a plain INSERT ... SELECT: the new row is an ordinary pending delivery, claimed like any other
            // an ordered delivery's copy joins its chain like a retry (see retryNow)
            lockChainOf(c, partner, "id = ?", id.value());
            int n = Jdbc.update(c, "INSERT INTO deliveries (id, event_id, endpoint_id, partner_id, status, attempt_count,"
                    + " next_attempt_at, created_at, updated_at, ordering_key) SELECT ?, o.event_id, o.endpoint_id,"
                    + " o.partner_id, 'pending', 0, " + OrderedKeys.pendingAgainAt("o") + ", ?, ?, o.ordering_key"
                    + " FROM deliveries o WHERE o.id = ? AND o.partner_id = ? AND o.status IN ('delivered', 'failed', 'superseded')",
                    newId.value(), OrderedKeys.HELD, OrderedKeys.HELD, nowMs, nowMs, nowMs, id.value(), partner.value());
            if (n == 1) {
                return new Resent(RetryResult.QUEUED, newId);
            }
            List<String> status = Jdbc.query(c, "SELECT status FROM deliveries WHERE id = ? AND partner_id = ?",
                    rs -> rs.getString(1), id.value(), partner.value());
            return new Resent(status.isEmpty() ? RetryResult.NOT_FOUND : RetryResult.IN_FLIGHT, null);
        });
    }

    @Override
    public int requeueFailed(PartnerId partner, EndpointId endpoint, Instant since, Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            String where = "partner_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ?";
            java.util.Set<OrderedKeys.Lock> locks = lockChainOf(c, partner, where, partner.value(), endpoint.value(),
                    since.toEpochMilli());
            // ordered rows come back held at their sequence; each chain's lowest then goes first
            int n = Jdbc.update(c, "UPDATE deliveries SET status = 'pending', next_attempt_at = CASE WHEN ordering_key"
                    + " IS NULL THEN ? ELSE ? + (SELECT ev.sequence FROM events ev WHERE ev.id = deliveries.event_id) END,"
                    + " updated_at = ? WHERE " + where,
                    nowMs, OrderedKeys.HELD, nowMs, partner.value(), endpoint.value(), since.toEpochMilli());
            java.util.Set<OrderedKeys.Key> chains = new java.util.HashSet<>();
            locks.forEach(l -> chains.add(new OrderedKeys.Key(endpoint.value(), l.orderingKey())));
            OrderedKeys.promote(c, chains, nowMs);
            return n;
        });
    }

    /**
     * Takes the locks of the ordering keys of this partner's deliveries matching {@code where}
     * (none for deliveries without a key) before a change makes them pending again; the keys.
     */
    private java.util.Set<OrderedKeys.Lock> lockChainOf(Connection c, PartnerId partner, String where, Object... params)
            throws SQLException {
        java.util.Set<OrderedKeys.Lock> locks = new java.util.HashSet<>();
        Jdbc.query(c, "SELECT DISTINCT ordering_key FROM deliveries WHERE " + where + " AND partner_id = ?"
                + " AND ordering_key IS NOT NULL", rs -> locks.add(new OrderedKeys.Lock(partner.value(), rs.getString(1))),
                concat(params, partner.value()));
        OrderedKeys.lock(c, dialect.serializesWrites(), locks);
        return locks;
    }

    private static Object[] concat(Object[] params, Object last) {
        Object[] out = java.util.Arrays.copyOf(params, params.length + 1);
        out[params.length] = last;
        return out;
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

    @Override
    public Stats stats(Instant now) {
        long nowMs = now.toEpochMilli();
        return jdbc.withConnection(c -> {
            long[] q = Jdbc.query(c, "SELECT COUNT(*), SUM(CASE WHEN next_attempt_at <= ? THEN 1 ELSE 0 END)"
                    + " FROM deliveries WHERE status = 'pending'",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, nowMs).get(0);
            long[] e = Jdbc.query(c, "SELECT SUM(CASE WHEN probe_after IS NOT NULL AND enabled = ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN enabled = ? THEN 1 ELSE 0 END) FROM endpoints WHERE deleted_at IS NULL",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, true, false).get(0);
            long cooldown = 0;
            long disabled = 0;
            long rateLimited = 0;
            Long oldest = null;
            record ByState(String state, long due, Long head, long probes, Long probeSince) {}
            for (ByState s : Jdbc.query(c, DUE_BY_ENDPOINT_STATE, rs -> new ByState(rs.getString(1), rs.getLong(2),
                    nullableLong(rs, 3), rs.getLong(4), nullableLong(rs, 5)), true, nowMs, nowMs, nowMs)) {
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
            return new Stats(q[0], q[1], oldest == null ? null : Instant.ofEpochMilli(oldest), e[0], e[1],
                    new Held(cooldown, disabled, rateLimited));
        });
    }

    private static Long nullableLong(java.sql.ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Long earlier(Long a, Long b) {
        return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
    }

    @Override
    public Optional<Instant> nextDueAt(Set<EndpointId> excluded) {
        List<Object> params = new ArrayList<>();
        params.add(true);
        excluded.forEach(e -> params.add(e.value()));
        // endpoint by endpoint, the oldest pending row of each (one index probe on
        // deliveries_endpoint_due), so disabled endpoints' rows are never read
        List<Long> due = jdbc.query("SELECT MIN(CASE WHEN probe_after IS NOT NULL AND probe_after > at THEN probe_after"
                + " ELSE at END) FROM (SELECT e.probe_after, (SELECT d.next_attempt_at FROM deliveries d"
                + " WHERE d.endpoint_id = e.id AND d.status = 'pending' ORDER BY d.next_attempt_at LIMIT 1) AS at"
                + " FROM endpoints e WHERE e.enabled = ? AND e.deleted_at IS NULL"
                + (excluded.isEmpty() ? "" : " AND e.id NOT IN (" + Jdbc.placeholders(excluded.size()) + ")")
                + ") x WHERE at IS NOT NULL", rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : v;
                }, params.toArray());
        return due.isEmpty() || due.get(0) == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(due.get(0)));
    }
}
