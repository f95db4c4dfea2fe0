package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.AttemptSample;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryCount;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.EventFilter.Outcome;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcEventStore implements EventStore {
    static final String COLUMNS =
            "id, partner_id, type, subject, data, created_at, idempotency_key, subject_key, sequence, test,"
                    + " trace_context";

    /** How far an event's id time may sit from its created_at; generous, since it only widens a range. */
    static final long ID_TIME_SLACK_MS = 60_000;

    private final Jdbc jdbc;
    private final EventWriter writer;

    JdbcEventStore(Jdbc jdbc, EventWriter writer) {
        this.jdbc = jdbc;
        this.writer = writer;
    }

    @Override
    public Appended append(Event e, List<NewDelivery> deliveries) {
        Stored s = appendAll(List.of(new Append(e, deliveries))).get(0);
        return new Appended(s.id(), s.created());
    }

    @Override
    public List<Stored> appendAll(List<Append> items) {
        return writer.publish(items);
    }

    @Override
    public Optional<Event> find(PartnerId partner, EventId id) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM events WHERE partner_id = ? AND id = ?",
                JdbcEventStore::map,
                partner.value(),
                id.value());
    }

    @Override
    public Page<Event> list(PartnerId partner, EventFilter f, int limit, String afterCursor) {
        return page(partner, f, limit, afterCursor, false);
    }

    @Override
    public Page<Event> listNewer(PartnerId partner, EventFilter f, int limit, String beforeCursor) {
        return page(partner, f, limit, beforeCursor, true);
    }

    /** One page of the log; {@code newer}: the events above the cursor (walked upwards, then turned newest first). */
    private Page<Event> page(PartnerId partner, EventFilter f, int limit, String cursor, boolean newer) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM events WHERE partner_id = ?");
        List<Object> params = new ArrayList<>(List.of(partner.value()));
        if (cursor != null) {
            sql.append(newer ? " AND id > ?" : " AND id < ?");
            params.add(cursor);
        }
        if (f.type() != null && !f.type().equals("*")) {
            if (f.type().endsWith(".*")) {
                // substr, not LIKE: '_' in type names would be a LIKE wildcard
                String prefix = f.type().substring(0, f.type().length() - 1);
                sql.append(" AND substr(type, 1, ?) = ?");
                params.add(prefix.length());
                params.add(prefix);
            } else {
                sql.append(" AND type = ?");
                params.add(f.type());
            }
        }
        // Ids start with their creation time, so a time range is also an id range that the
        // (partner_id, id) index walks directly. The id bounds are a minute wider than the range
        // (an id is drawn a moment before created_at is read); created_at then cuts exactly.
        if (f.since() != null) {
            sql.append(" AND id >= ? AND created_at >= ?");
            params.add(IdGenerator.timePrefix(Ids.EVENT, f.since().toEpochMilli() - ID_TIME_SLACK_MS));
            params.add(f.since().toEpochMilli());
        }
        if (f.until() != null) {
            sql.append(" AND id < ? AND created_at < ?");
            params.add(IdGenerator.timePrefix(Ids.EVENT, f.until().toEpochMilli() + ID_TIME_SLACK_MS));
            params.add(f.until().toEpochMilli());
        }
        String[][] subjectFilters = {
            {"workspace_id", f.workspaceId()}, {"channel_id", f.channelId()}, {"phone_number", f.phoneNumber()}
        };
        for (String[] sf : subjectFilters) {
            if (sf[1] != null) {
                sql.append(" AND ").append(sf[0]).append(" = ?");
                params.add(sf[1]);
            }
        }
        if (f.failedOnly()) {
            // driven by the partial index deliveries_failed_event: failed deliveries are few
            sql.append(
                    " AND id IN (SELECT d.event_id FROM deliveries d WHERE d.partner_id = ? AND d.status = 'failed')");
            params.add(partner.value());
        }
        if (f.outcome() != null) {
            outcome(f.outcome(), sql, params);
        }
        sql.append(newer ? " ORDER BY id ASC LIMIT ?" : " ORDER BY id DESC LIMIT ?");
        params.add(limit + 1);
        List<Event> rows = jdbc.query(sql.toString(), JdbcEventStore::map, params.toArray());
        if (newer) {
            boolean more = rows.size() > limit;
            List<Event> page = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
            Collections.reverse(page);
            return new Page<>(List.copyOf(page), more ? page.get(0).id().value() : null);
        }
        if (rows.size() > limit) {
            List<Event> page = rows.subList(0, limit);
            return new Page<>(List.copyOf(page), page.get(limit - 1).id().value());
        }
        return new Page<>(rows, null);
    }

    /**
     * The outcome filter, through the deliveries' event index: one status is "some delivery has
     * it and none has another"; mixed is "two deliveries differ"; none is "no delivery at all".
     */
    private static void outcome(Outcome o, StringBuilder sql, List<Object> params) {
        switch (o) {
            case MIXED ->
                sql.append(" AND EXISTS (SELECT 1 FROM deliveries d1 JOIN deliveries d2 ON d2.event_id = d1.event_id"
                        + " AND d2.status <> d1.status WHERE d1.event_id = events.id)");
            case NONE -> sql.append(" AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)");
            default -> {
                sql.append(
                        " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = ?)"
                                + " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status <> ?)");
                params.add(o.wire());
                params.add(o.wire());
            }
        }
    }

    @Override
    public List<AttemptSample> attemptsSince(PartnerId partner, EndpointId endpoint, Instant since, int max) {
        return jdbc.query(
                "SELECT a.duration_ms, a.http_status, a.error_class, a.attempted_at FROM attempts a"
                        + " JOIN deliveries d ON d.id = a.delivery_id"
                        + " WHERE d.partner_id = ? AND d.endpoint_id = ? AND a.attempted_at >= ?"
                        + " ORDER BY a.attempted_at DESC LIMIT ?",
                rs -> {
                    Integer status = Jdbc.nullableInt(rs, "http_status");
                    String errorClass = rs.getString("error_class");
                    boolean ok = status != null && status >= 200 && status < 300;
                    return new AttemptSample(
                            rs.getLong("duration_ms"),
                            ok,
                            ok ? null : errorClass != null ? errorClass : "http_" + status,
                            Instant.ofEpochMilli(rs.getLong("attempted_at")));
                },
                partner.value(),
                endpoint.value(),
                since.toEpochMilli(),
                max);
    }

    @Override
    public Optional<Delivery> delivery(PartnerId partner, DeliveryId id) {
        List<Delivery> ds = deliveriesWhere("partner_id = ? AND id = ?", List.of(partner.value(), id.value()), 1);
        return ds.isEmpty() ? Optional.empty() : Optional.of(ds.get(0));
    }

    @Override
    public Page<Delivery> endpointDeliveries(
            PartnerId partner, EndpointId endpoint, DeliveryStatus status, int limit, String afterCursor) {
        StringBuilder where = new StringBuilder("partner_id = ? AND endpoint_id = ?");
        List<Object> params = new ArrayList<>(List.of(partner.value(), endpoint.value()));
        if (status != null) {
            where.append(" AND status = ?");
            params.add(status.wire());
        }
        if (afterCursor != null) {
            where.append(" AND id < ?");
            params.add(afterCursor);
        }
        List<Delivery> rows = deliveriesWhere(where + " ORDER BY id DESC", params, limit + 1);
        if (rows.size() > limit) {
            List<Delivery> page = rows.subList(0, limit);
            return new Page<>(List.copyOf(page), page.get(limit - 1).id().value());
        }
        return new Page<>(rows, null);
    }

    @Override
    public List<DeliveryCount> deliveryCounts(PartnerId partner, List<EventId> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(List.of(partner.value()));
        StringBuilder in = new StringBuilder();
        for (EventId e : events) {
            in.append(in.isEmpty() ? "?" : ", ?");
            params.add(e.value());
        }
        return jdbc.query(
                "SELECT event_id, endpoint_id, status, COUNT(*) FROM deliveries WHERE partner_id = ? AND event_id IN ("
                        + in + ") GROUP BY event_id, endpoint_id, status",
                rs -> new DeliveryCount(
                        new EventId(rs.getString(1)),
                        new EndpointId(rs.getString(2)),
                        DeliveryStatus.fromWire(rs.getString(3)),
                        rs.getInt(4)),
                params.toArray());
    }

    @Override
    public List<Delivery> deliveries(PartnerId partner, EventId event) {
        return deliveriesWhere(
                "partner_id = ? AND event_id = ? ORDER BY id", List.of(partner.value(), event.value()), 10_000);
    }

    /** Deliveries matching a WHERE (which may end in ORDER BY), with their attempts, in two queries. */
    private List<Delivery> deliveriesWhere(String where, List<Object> params, int limit) {
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        return jdbc.withConnection(c -> {
            List<Object[]> rows = Jdbc.query(
                    c,
                    "SELECT id, event_id, endpoint_id, status, attempt_count, next_attempt_at,"
                            + " created_at, ordering_key, superseded_by FROM deliveries WHERE " + where + " LIMIT ?",
                    rs -> new Object[] {
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        rs.getLong(6),
                        rs.getLong(7),
                        rs.getString(8),
                        rs.getString(9)
                    },
                    all.toArray());
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<String, List<Attempt>> attempts = new HashMap<>();
            List<Object> ids = new ArrayList<>();
            for (Object[] r : rows) {
                ids.add(r[0]);
                attempts.put((String) r[0], new ArrayList<>());
            }
            Jdbc.query(
                    c,
                    "SELECT id, delivery_id, number, attempted_at, duration_ms, http_status, error_class,"
                            + " response_excerpt, request_headers, request_body FROM attempts WHERE delivery_id IN ("
                            + Jdbc.placeholders(ids.size())
                            + ") ORDER BY delivery_id, number",
                    rs -> {
                        attempts.get(rs.getString("delivery_id")).add(mapAttempt(rs));
                        return null;
                    },
                    ids.toArray());
            // a held delivery (ordered endpoint) names the head of its key, the one it waits for
            Map<OrderedKeys.Key, DeliveryId> heads = new HashMap<>();
            for (Object[] r : rows) {
                if (isHeld(r)) {
                    OrderedKeys.Key k = new OrderedKeys.Key((String) r[2], (String) r[7]);
                    if (!heads.containsKey(k)) {
                        List<DeliveryId> head = Jdbc.query(
                                c,
                                "SELECT id FROM deliveries WHERE endpoint_id = ?"
                                        + " AND ordering_key = ? AND status = 'pending' AND ordering_key IS NOT NULL"
                                        + " AND next_attempt_at < ? ORDER BY next_attempt_at LIMIT 1",
                                rs -> new DeliveryId(rs.getString(1)),
                                k.endpointId(),
                                k.orderingKey(),
                                OrderedKeys.HELD);
                        heads.put(k, head.isEmpty() ? null : head.get(0));
                    }
                }
            }
            List<Delivery> out = new ArrayList<>();
            for (Object[] r : rows) {
                boolean held = isHeld(r);
                out.add(new Delivery(
                        new DeliveryId((String) r[0]),
                        new EventId((String) r[1]),
                        new EndpointId((String) r[2]),
                        DeliveryStatus.fromWire((String) r[3]),
                        (Integer) r[4],
                        held ? null : Instant.ofEpochMilli((Long) r[5]),
                        Instant.ofEpochMilli((Long) r[6]),
                        List.copyOf(attempts.get((String) r[0])),
                        held ? heads.get(new OrderedKeys.Key((String) r[2], (String) r[7])) : null,
                        (String) r[8]));
            }
            return out;
        });
    }

    private static boolean isHeld(Object[] row) {
        return "pending".equals(row[3]) && row[7] != null && (Long) row[5] >= OrderedKeys.HELD;
    }

    static Attempt mapAttempt(ResultSet rs) throws SQLException {
        return new Attempt(
                new AttemptId(rs.getString("id")),
                rs.getInt("number"),
                Instant.ofEpochMilli(rs.getLong("attempted_at")),
                rs.getLong("duration_ms"),
                Jdbc.nullableInt(rs, "http_status"),
                rs.getString("error_class"),
                rs.getString("response_excerpt"),
                decodeHeaders(rs.getString("request_headers")),
                rs.getString("request_body"));
    }

    /** Headers are kept as "name: value" lines: HTTP header values cannot hold a line break. */
    static String encodeHeaders(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    static Map<String, String> decodeHeaders(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\n")) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    out.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }
        return out;
    }

    static Event map(ResultSet rs) throws SQLException {
        return new Event(
                new EventId(rs.getString("id")),
                new PartnerId(rs.getString("partner_id")),
                rs.getString("type"),
                rs.getString("subject"),
                rs.getString("data"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                rs.getString("idempotency_key"),
                rs.getString("subject_key"),
                rs.getLong("sequence"),
                rs.getBoolean("test"),
                rs.getString("trace_context"));
    }
}
