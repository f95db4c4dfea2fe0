package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.ClaimStrategy.Row;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Claims: the dialect's {@link ClaimStrategy} leases the rows, then their events and endpoints
 * are read in one query each, in the claim's transaction.
 */
final class DeliveryClaims {
    private final Jdbc jdbc;
    private final ClaimStrategy strategy;
    private final JdbcEndpointStore.Mapper endpoints;

    DeliveryClaims(Jdbc jdbc, ClaimStrategy strategy, JdbcEndpointStore.Mapper endpoints) {
        this.jdbc = jdbc;
        this.strategy = strategy;
        this.endpoints = endpoints;
    }

    List<Claimed> claimDue(Instant now, int limit, Duration lease, Set<EndpointId> excluded) {
        if (limit <= 0) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        long nowMs = now.toEpochMilli();
        List<String> excludedIds = new ArrayList<>(excluded.size());
        for (EndpointId e : excluded) {
            excludedIds.add(e.value());
        }
        return jdbc.inTransaction(c -> {
            List<Row> rows = strategy.claim(
                    c, new ClaimStrategy.Request(token, nowMs, nowMs + lease.toMillis(), limit, excludedIds));
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
            Jdbc.query(
                    c,
                    "SELECT " + prefixed("ev", JdbcEventStore.COLUMNS) + " FROM events ev WHERE ev.id IN"
                            + " (SELECT event_id FROM deliveries WHERE id IN (" + in + "))",
                    rs -> {
                        Event e = JdbcEventStore.map(rs);
                        return events.put(e.id().value(), e);
                    },
                    ids.toArray());
            Jdbc.query(
                    c,
                    "SELECT " + prefixed("ep", JdbcEndpointStore.COLUMNS) + " FROM endpoints ep WHERE ep.id IN"
                            + " (SELECT endpoint_id FROM deliveries WHERE id IN (" + in + "))",
                    rs -> {
                        Endpoint e = endpoints.map(rs);
                        return eps.put(e.id().value(), e);
                    },
                    ids.toArray());
            List<Claimed> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Claimed(
                        new DeliveryId(r.id()), token, r.attempts(), events.get(r.eventId()), eps.get(r.endpointId())));
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
}
