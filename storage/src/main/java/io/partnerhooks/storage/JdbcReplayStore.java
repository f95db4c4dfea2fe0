package io.partnerhooks.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import io.partnerhooks.core.meta.MetaEvents;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The replays table and the selection of a replay's events. The selection is one WHERE clause
 * used both to count (at the request) and to walk (the worker), so the two cannot disagree; it
 * walks the partner's events by id (ids start with their creation time: an index range of
 * events_partner_id, or events_channel for a number's relays) and asks deliveries_event about each
 * event's deliveries to the endpoint.
 */
final class JdbcReplayStore implements ReplayStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, partner_id, endpoint_id, which, since_at, until_at, event_types, state,"
            + " matched, queued, created_at, updated_at, started_at, completed_at";

    private final Jdbc jdbc;
    private final EventWriter events;

    JdbcReplayStore(Jdbc jdbc, EventWriter events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    private record Where(String sql, List<Object> params) {}

    private static Where selection(Selection s) {
        Endpoint e = s.endpoint();
        StringBuilder w = new StringBuilder("ev.partner_id = ? AND ev.id >= ? AND ev.id < ? AND ev.created_at >= ?"
                + " AND ev.created_at < ? AND ev.test = ?");
        List<Object> p = new ArrayList<>(List.of(
                e.partnerId().value(),
                IdGenerator.timePrefix(Ids.EVENT, s.since().toEpochMilli() - JdbcEventStore.ID_TIME_SLACK_MS),
                IdGenerator.timePrefix(Ids.EVENT, s.until().toEpochMilli() + JdbcEventStore.ID_TIME_SLACK_MS),
                s.since().toEpochMilli(),
                s.until().toEpochMilli(),
                false));
        // A relay is an event of a messaging type that carries the relayed Cloud API body; fan-out
        // sends relays to their number's messaging webhook only, and everything else by type.
        List<String> relayTypes = List.copyOf(new TreeSet<>(MetaEvents.RELAY_TYPES));
        String relay = "(ev.type IN (" + Jdbc.placeholders(relayTypes.size()) + ") AND ev.data LIKE ?)";
        if (Endpoint.ROLE_MESSAGING.equals(e.profile().role())) {
            w.append(" AND ev.channel_id = ? AND ").append(relay);
            p.add(e.profile().channelId());
        } else {
            w.append(" AND NOT ").append(relay);
        }
        p.addAll(relayTypes);
        p.add("%\"cloud_api\"%");
        if (!Endpoint.ROLE_MESSAGING.equals(e.profile().role())) {
            types(w, p, e.eventTypes());
            // the endpoint's subject filter, as fan-out applies it (ADR 14)
            w.append(SubjectIds.condition(e.filter(), "ev.", p));
        }
        if (s.eventTypes() != null) {
            types(w, p, s.eventTypes());
        }
        switch (s.which()) {
            case MISSING -> {
                w.append(" AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.endpoint_id = ?)");
                p.add(e.id().value());
            }
            case FAILED -> {
                // failed, and not since delivered or on its way again (a retry, resend or earlier replay)
                w.append(" AND EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id AND d.endpoint_id = ?"
                        + " AND d.status = 'failed') AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id"
                        + " AND d.endpoint_id = ? AND d.status IN ('pending', 'delivered'))");
                p.add(e.id().value());
                p.add(e.id().value());
            }
            case ALL -> {}
        }
        return new Where(w.toString(), p);
    }

    /** Event-type patterns as SQL: exact types, prefixes (substr, as '_' would be a LIKE wildcard), or anything. */
    private static void types(StringBuilder w, List<Object> p, List<String> patterns) {
        if (patterns.contains("*")) {
            return;
        }
        if (patterns.isEmpty()) {
            w.append(" AND 1 = 0");
            return;
        }
        w.append(" AND (");
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            if (i > 0) {
                w.append(" OR ");
            }
            if (pattern.endsWith(".*")) {
                String prefix = pattern.substring(0, pattern.length() - 1);
                w.append("substr(ev.type, 1, ?) = ?");
                p.add(prefix.length());
                p.add(prefix);
            } else {
                w.append("ev.type = ?");
                p.add(pattern);
            }
        }
        w.append(")");
    }

    @Override
    public long count(Selection s, long max) {
        Where w = selection(s);
        List<Object> p = new ArrayList<>(w.params());
        p.add(max + 1);
        return jdbc.query(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM events ev WHERE " + w.sql() + " LIMIT ?) x",
                        rs -> rs.getLong(1),
                        p.toArray())
                .get(0);
    }

    @Override
    public void insert(Replay r) {
        long now = r.createdAt().toEpochMilli();
        jdbc.update(
                "INSERT INTO replays (id, partner_id, endpoint_id, which, since_at, until_at, event_types, state,"
                        + " matched, queued, exhausted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                r.id().value(),
                r.partnerId().value(),
                r.endpointId().value(),
                r.which().wire(),
                r.since().toEpochMilli(),
                r.until().toEpochMilli(),
                encode(r.eventTypes()),
                r.state().wire(),
                r.matched(),
                false,
                now,
                now);
    }

    @Override
    public Optional<Replay> find(PartnerId partner, ReplayId id) {
        return jdbc.withConnection(c -> {
            List<Replay> rows = Jdbc.query(
                    c,
                    "SELECT " + COLUMNS + " FROM replays WHERE partner_id = ? AND id = ?",
                    JdbcReplayStore::map,
                    partner.value(),
                    id.value());
            return rows.isEmpty() ? Optional.<Replay>empty() : Optional.of(withCounts(c, rows.get(0)));
        });
    }

    @Override
    public Page<Replay> list(PartnerId partner, EndpointId endpoint, int limit, String afterCursor) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM replays WHERE partner_id = ?");
        List<Object> p = new ArrayList<>(List.of(partner.value()));
        if (endpoint != null) {
            sql.append(" AND endpoint_id = ?");
            p.add(endpoint.value());
        }
        if (afterCursor != null) {
            sql.append(" AND id < ?");
            p.add(afterCursor);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        p.add(limit + 1);
        return jdbc.withConnection(c -> {
            List<Replay> rows = Jdbc.query(c, sql.toString(), JdbcReplayStore::map, p.toArray());
            List<Replay> out = new ArrayList<>();
            for (int i = 0; i < rows.size() && i < limit; i++) {
                out.add(withCounts(c, rows.get(i)));
            }
            return new Page<>(
                    List.copyOf(out),
                    rows.size() > limit ? out.get(limit - 1).id().value() : null);
        });
    }

    /** The replay's deliveries by status now (one range of deliveries_replay). */
    private static Replay withCounts(Connection c, Replay r) throws SQLException {
        long[] n = new long[3];
        Jdbc.query(
                c,
                "SELECT status, COUNT(*) FROM deliveries WHERE replay_id = ? GROUP BY status",
                rs -> {
                    switch (rs.getString(1)) {
                        case "delivered" -> n[0] += rs.getLong(2);
                        case "failed" -> n[1] += rs.getLong(2);
                        case "pending" -> n[2] += rs.getLong(2);
                        default -> {}
                    }
                    return null;
                },
                r.id().value());
        return new Replay(
                r.id(),
                r.partnerId(),
                r.endpointId(),
                r.which(),
                r.since(),
                r.until(),
                r.eventTypes(),
                r.state(),
                r.matched(),
                r.queued(),
                n[0],
                n[1],
                n[2],
                r.createdAt(),
                r.updatedAt(),
                r.startedAt(),
                r.completedAt());
    }

    @Override
    public Optional<Claimed> claim(String token, Instant now, Instant leaseUntil) {
        long at = now.toEpochMilli();
        // The lease test is repeated outside the subquery: on PostgreSQL a second node whose UPDATE
        // waited for the first one's row lock re-checks it against the row the first one wrote, and
        // so takes nothing instead of the same replay.
        String ready = "state IN ('queued', 'running') AND (lease_until IS NULL OR lease_until <= ?)";
        List<Claimed> rows = jdbc.query(
                "UPDATE replays SET lease_token = ?, lease_until = ?, state = 'running',"
                        + " started_at = COALESCE(started_at, ?), updated_at = ? WHERE id = (SELECT id FROM replays WHERE "
                        + ready + " ORDER BY created_at LIMIT 1) AND " + ready
                        + " RETURNING " + COLUMNS + ", cursor_id, exhausted",
                rs -> new Claimed(map(rs), token, rs.getString("cursor_id"), rs.getBoolean("exhausted")),
                token,
                leaseUntil.toEpochMilli(),
                at,
                at,
                at,
                at);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public int backlog(EndpointId endpoint, int max) {
        return jdbc.query(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM deliveries WHERE endpoint_id = ? AND status = 'pending'"
                                + " LIMIT ?) x",
                        rs -> rs.getInt(1),
                        endpoint.value(),
                        max)
                .get(0);
    }

    @Override
    public Optional<Batch> queueBatch(
            Claimed claimed, Selection s, int limit, Supplier<DeliveryId> ids, Instant now, Instant leaseUntil) {
        String replay = claimed.replay().id().value();
        long at = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            // first, and by the lease token: this also locks the row, so a takeover waits or wins
            if (Jdbc.update(
                            c,
                            "UPDATE replays SET lease_until = ?, updated_at = ? WHERE id = ? AND lease_token = ?",
                            leaseUntil.toEpochMilli(),
                            at,
                            replay,
                            claimed.leaseToken())
                    == 0) {
                return Optional.<Batch>empty();
            }
            Where w = selection(s);
            StringBuilder sql =
                    new StringBuilder("SELECT ev.id, ev.subject_key, ev.sequence FROM events ev WHERE " + w.sql());
            List<Object> p = new ArrayList<>(w.params());
            if (claimed.cursor() != null) {
                sql.append(" AND ev.id > ?");
                p.add(claimed.cursor());
            }
            sql.append(" ORDER BY ev.id LIMIT ?");
            p.add(limit);
            List<EventWriter.Replayed> picked = Jdbc.query(
                    c,
                    sql.toString(),
                    rs -> new EventWriter.Replayed(rs.getString(1), rs.getString(2), rs.getLong(3)),
                    p.toArray());
            events.replayed(c, replay, s.endpoint(), picked, ids, at);
            String cursor = picked.isEmpty()
                    ? claimed.cursor()
                    : picked.get(picked.size() - 1).eventId();
            boolean exhausted = picked.size() < limit;
            Jdbc.update(
                    c,
                    "UPDATE replays SET cursor_id = ?, queued = queued + ?, exhausted = ? WHERE id = ?",
                    cursor,
                    picked.size(),
                    exhausted,
                    replay);
            return Optional.of(new Batch(picked.size(), cursor, exhausted));
        });
    }

    @Override
    public boolean release(ReplayId id, String token, Instant notBefore, Instant now) {
        return jdbc.update(
                        "UPDATE replays SET lease_token = NULL, lease_until = ?, updated_at = ?"
                                + " WHERE id = ? AND lease_token = ?",
                        notBefore.toEpochMilli(),
                        now.toEpochMilli(),
                        id.value(),
                        token)
                == 1;
    }

    @Override
    public boolean finish(ReplayId id, String token, Replay.State state, Instant now) {
        long at = now.toEpochMilli();
        return jdbc.update(
                        "UPDATE replays SET state = ?, lease_token = NULL, lease_until = NULL, completed_at = ?,"
                                + " updated_at = ? WHERE id = ? AND lease_token = ?",
                        state.wire(),
                        at,
                        at,
                        id.value(),
                        token)
                == 1;
    }

    private static Replay map(ResultSet rs) throws SQLException {
        return new Replay(
                new ReplayId(rs.getString("id")),
                new PartnerId(rs.getString("partner_id")),
                new EndpointId(rs.getString("endpoint_id")),
                Replay.Which.fromWire(rs.getString("which")),
                Instant.ofEpochMilli(rs.getLong("since_at")),
                Instant.ofEpochMilli(rs.getLong("until_at")),
                decode(rs.getString("event_types")),
                Replay.State.fromWire(rs.getString("state")),
                rs.getLong("matched"),
                rs.getLong("queued"),
                0,
                0,
                0,
                Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                time(rs, "started_at"),
                time(rs, "completed_at"));
    }

    private static Instant time(ResultSet rs, String column) throws SQLException {
        Long v = Jdbc.nullableLong(rs, column);
        return v == null ? null : Instant.ofEpochMilli(v);
    }

    private static String encode(List<String> types) {
        try {
            return types == null ? null : JSON.writeValueAsString(types);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> decode(String json) {
        try {
            return json == null ? null : JSON.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
