package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

final class JdbcDeliveryQueue implements DeliveryQueue {
    private final Jdbc jdbc;
    private final String claimSql;

    JdbcDeliveryQueue(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        // One statement: pick due rows of enabled endpoints, push their due time to the lease's end
        // and stamp a fresh token. PostgreSQL skips rows other nodes are claiming at this moment.
        this.claimSql = "UPDATE deliveries SET lease_token = ?, next_attempt_at = ?, updated_at = ?"
                + " WHERE id IN (SELECT d.id FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id"
                + " WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND e.enabled = ? AND e.deleted_at IS NULL"
                + " ORDER BY d.next_attempt_at LIMIT ?" + dialect.claimLockClause() + ")"
                + " RETURNING id, event_id, endpoint_id, attempt_count";
    }

    private record Row(String id, String eventId, String endpointId, int attempts) {}

    @Override
    public List<Claimed> claimDue(Instant now, int limit, Duration lease) {
        if (limit <= 0) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        long nowMs = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            List<Row> rows = Jdbc.query(c, claimSql, rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getInt(4)), token, nowMs + lease.toMillis(), nowMs, nowMs, true, limit);
            if (rows.isEmpty()) {
                return List.of();
            }
            List<Object> ids = new ArrayList<>();
            for (Row r : rows) {
                ids.add(r.id());
            }
            java.util.Map<String, Event> events = new java.util.HashMap<>();
            java.util.Map<String, Endpoint> endpoints = new java.util.HashMap<>();
            String in = Jdbc.placeholders(ids.size());
            Jdbc.query(c, "SELECT " + prefixed("ev", JdbcEventStore.COLUMNS) + " FROM events ev WHERE ev.id IN"
                    + " (SELECT event_id FROM deliveries WHERE id IN (" + in + "))", rs -> {
                        Event e = JdbcEventStore.map(rs);
                        return events.put(e.id().value(), e);
                    }, ids.toArray());
            Jdbc.query(c, "SELECT " + prefixed("ep", JdbcEndpointStore.COLUMNS) + " FROM endpoints ep WHERE ep.id IN"
                    + " (SELECT endpoint_id FROM deliveries WHERE id IN (" + in + "))", rs -> {
                        Endpoint e = JdbcEndpointStore.map(rs);
                        return endpoints.put(e.id().value(), e);
                    }, ids.toArray());
            List<Claimed> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Claimed(new DeliveryId(r.id()), token, r.attempts(), events.get(r.eventId()),
                        endpoints.get(r.endpointId())));
            }
            return out;
        });
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
    public boolean complete(DeliveryId id, String leaseToken, Attempt a, Next next, Instant now) {
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
        return jdbc.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE deliveries SET status = ?, attempt_count = attempt_count + 1,"
                    + " next_attempt_at = ?, lease_token = NULL, updated_at = ? WHERE id = ? AND lease_token = ?",
                    status, nextAt, nowMs, id.value(), leaseToken);
            if (n == 0) {
                return false;
            }
            Jdbc.update(c, "INSERT INTO attempts (id, delivery_id, number, attempted_at, duration_ms, http_status,"
                    + " error_class, response_excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", a.id().value(), id.value(),
                    a.number(), a.attemptedAt().toEpochMilli(), a.durationMs(), a.httpStatus(), a.errorClass(),
                    a.responseExcerpt());
            return true;
        });
    }

    @Override
    public Optional<Instant> nextDueAt() {
        return jdbc.queryOne("SELECT d.next_attempt_at FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id"
                + " WHERE d.status = 'pending' AND e.enabled = ? AND e.deleted_at IS NULL"
                + " ORDER BY d.next_attempt_at LIMIT 1", rs -> Instant.ofEpochMilli(rs.getLong(1)), true);
    }
}
