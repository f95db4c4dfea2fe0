package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.DeliveryQueue.EndpointReport;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.GroupCommit;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The end of a lease: an attempt's outcome recorded (checked by the lease token, in a group
 * commit shared with publishes), with the delivery's next state, the endpoint's health and the
 * promotion of an ordered chain; or claimed rows given back unattempted.
 */
final class DeliveryCompletions {
    private final Jdbc jdbc;
    private final ClaimStrategy claims;
    private final GroupCommit writes;

    DeliveryCompletions(Jdbc jdbc, ClaimStrategy claims, GroupCommit writes) {
        this.jdbc = jdbc;
        this.claims = claims;
        this.writes = writes;
    }

    void release(List<Claimed> claimed, Instant dueAt) {
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

    boolean complete(DeliveryId id, String leaseToken, Attempt a, Next next, EndpointReport report, Instant now) {
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

    private record Completion(
            DeliveryId id,
            String leaseToken,
            Attempt attempt,
            String status,
            long nextAt,
            EndpointReport report,
            Instant now) {}

    private final GroupCommit.BatchBlock<Completion, Boolean> completeAll = this::completeAll;

    /**
     * Records many outcomes with a fixed number of statements: the deliveries' updates as one JDBC
     * batch (checked by their lease tokens), their endpoints in one query, their attempts in one
     * batch insert, and one health update for all endpoints that answered well. Failures and gone
     * endpoints, which are rare, update their endpoint one by one in the callers' order.
     */
    private List<Boolean> completeAll(Connection c, List<Completion> items) throws SQLException {
        int[] counts;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE deliveries SET status = ?, attempt_count = attempt_count + 1,"
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
            boolean ok = counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO;
            out.add(ok);
            if (ok) {
                recorded.add(items.get(i));
            }
        }
        if (recorded.isEmpty()) {
            return out;
        }
        Map<String, String> endpointOf = new HashMap<>();
        Map<String, ClaimStrategy.ChainLock> keyOf = new HashMap<>();
        List<Object> ids = new ArrayList<>();
        for (Completion x : recorded) {
            ids.add(x.id().value());
        }
        Jdbc.query(
                c,
                "SELECT id, endpoint_id, partner_id, ordering_key FROM deliveries WHERE id IN ("
                        + Jdbc.placeholders(ids.size()) + ")",
                rs -> {
                    if (rs.getString(4) != null) {
                        keyOf.put(rs.getString(1), new ClaimStrategy.ChainLock(rs.getString(3), rs.getString(4)));
                    }
                    return endpointOf.put(rs.getString(1), rs.getString(2));
                },
                ids.toArray());
        if (!keyOf.isEmpty()) {
            promoteAfterFinal(c, recorded, endpointOf, keyOf);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO attempts (id, delivery_id, number, attempted_at,"
                + " duration_ms, http_status, error_class, response_excerpt, request_headers, request_body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Completion x : recorded) {
                Attempt a = x.attempt();
                Jdbc.bind(
                        ps,
                        a.id().value(),
                        x.id().value(),
                        a.number(),
                        a.attemptedAt().toEpochMilli(),
                        a.durationMs(),
                        a.httpStatus(),
                        a.errorClass(),
                        a.responseExcerpt(),
                        JdbcEventStore.encodeHeaders(a.requestHeaders()),
                        a.requestBody());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        boolean onlyHealthy = true;
        Set<String> healthy = new TreeSet<>();
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
                Jdbc.update(
                        c,
                        "UPDATE endpoints SET consecutive_failures = 0, failing_since = NULL, probe_after = NULL"
                                + " WHERE id IN (" + Jdbc.placeholders(healthy.size()) + ")"
                                + " AND (consecutive_failures <> 0 OR probe_after IS NOT NULL)",
                        healthy.toArray());
            }
        } else {
            // by endpoint (a stable sort keeps each endpoint's reports in order): every batch locks
            // endpoint rows in the same order, so two nodes' batches cannot deadlock on them
            List<Completion> byEndpoint = new ArrayList<>(recorded);
            byEndpoint.sort(Comparator.comparing(x -> endpointOf.get(x.id().value())));
            for (Completion x : byEndpoint) {
                applyHealth(
                        c,
                        endpointOf.get(x.id().value()),
                        x.report(),
                        x.attempt().attemptedAt(),
                        x.now());
            }
        }
        return out;
    }

    /**
     * Ordered deliveries that reached a final state let the next of their chain go: under the keys'
     * locks, each chain without a head promotes its lowest held row, in this commit (ADR 11).
     * Deliveries with no ordering key never come here.
     */
    private void promoteAfterFinal(
            Connection c,
            List<Completion> recorded,
            Map<String, String> endpointOf,
            Map<String, ClaimStrategy.ChainLock> keyOf)
            throws SQLException {
        Set<ClaimStrategy.ChainLock> locks = new HashSet<>();
        Set<OrderedKeys.Key> chains = new HashSet<>();
        long now = 0;
        for (Completion x : recorded) {
            ClaimStrategy.ChainLock k = keyOf.get(x.id().value());
            if (k != null && !x.status().equals("pending")) {
                locks.add(k);
                chains.add(new OrderedKeys.Key(endpointOf.get(x.id().value()), k.orderingKey()));
                now = Math.max(now, x.now().toEpochMilli());
            }
        }
        claims.lockChains(c, locks);
        OrderedKeys.promote(c, chains, now);
    }

    private static void applyHealth(
            Connection c, String endpointId, EndpointReport report, Instant attemptedAt, Instant now)
            throws SQLException {
        switch (report) {
            case EndpointReport.None n -> {}
            case EndpointReport.Healthy h ->
                // the WHERE keeps a healthy endpoint's row untouched: no write per success
                Jdbc.update(
                        c,
                        "UPDATE endpoints SET consecutive_failures = 0, failing_since = NULL, probe_after = NULL"
                                + " WHERE id = ? AND (consecutive_failures <> 0 OR probe_after IS NOT NULL)",
                        endpointId);
            case EndpointReport.Gone g -> disable(c, endpointId, g.reason(), now);
            case EndpointReport.Failed f -> {
                List<long[]> streak = Jdbc.query(
                        c,
                        "UPDATE endpoints SET consecutive_failures = consecutive_failures + 1,"
                                + " failing_since = COALESCE(failing_since, ?) WHERE id = ?"
                                + " RETURNING consecutive_failures, failing_since",
                        rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                        attemptedAt.toEpochMilli(),
                        endpointId);
                if (streak.isEmpty()) {
                    return;
                }
                HealthVerdict v = f.judge().judge((int) streak.get(0)[0], Instant.ofEpochMilli(streak.get(0)[1]), now);
                if (v.disableReason() != null) {
                    disable(c, endpointId, v.disableReason(), now);
                } else if (v.probeAfter() != null) {
                    Jdbc.update(
                            c,
                            "UPDATE endpoints SET probe_after = ? WHERE id = ?",
                            v.probeAfter().toEpochMilli(),
                            endpointId);
                }
            }
        }
    }

    private static void disable(Connection c, String endpointId, String reason, Instant now) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE endpoints SET enabled = ?, disabled_reason = ?, disabled_at = ?, probe_after = NULL"
                        + " WHERE id = ? AND enabled = ?",
                false,
                reason,
                now.toEpochMilli(),
                endpointId,
                true);
    }
}
