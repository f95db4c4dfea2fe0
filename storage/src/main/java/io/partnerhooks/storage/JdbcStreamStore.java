package io.partnerhooks.storage;

import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The pull stream on SQLite (a counter in commit order) or PostgreSQL (writer's transaction id), see V22. */
final class JdbcStreamStore implements StreamStore {
    private final Jdbc jdbc;
    private final Dialect.StreamOrder order;

    JdbcStreamStore(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.order = dialect.streamOrder();
    }

    @Override
    public List<Item> after(PartnerId partner, Place after, List<String> types, SubjectFilter filter, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + JdbcEventStore.COLUMNS + ", " + order.place()
                + " AS stream_place FROM events WHERE partner_id = ?");
        List<Object> params = new ArrayList<>(List.of(partner.value()));
        if (after != null) {
            sql.append(" AND ").append(order.after());
            params.add(after.number());
            params.add(after.number());
            params.add(after.eventId());
        }
        if (!order.settled().isEmpty()) {
            sql.append(" AND ").append(order.settled());
        }
        if (!types.isEmpty()) {
            sql.append(" AND (");
            for (int i = 0; i < types.size(); i++) {
                String t = types.get(i);
                sql.append(i == 0 ? "" : " OR ");
                if (t.endsWith(".")) {
                    // substr, not LIKE: '_' in type names would be a LIKE wildcard
                    sql.append("substr(type, 1, ?) = ?");
                    params.add(t.length());
                    params.add(t);
                } else {
                    sql.append("type = ?");
                    params.add(t);
                }
            }
            sql.append(")");
        }
        sql.append(SubjectIds.condition(filter, "", params));
        sql.append(" ORDER BY ").append(order.orderBy()).append(" LIMIT ?");
        params.add(limit);
        return jdbc.query(
                sql.toString(),
                rs -> new Item(JdbcEventStore.map(rs), new Place(rs.getString("stream_place"), rs.getString("id"))),
                params.toArray());
    }

    @Override
    public Optional<Place> beforeOldest(PartnerId partner) {
        return jdbc.queryOne(
                "SELECT " + order.place() + " FROM events WHERE partner_id = ? ORDER BY " + order.orderBy()
                        + " LIMIT 1",
                rs -> new Place(rs.getString(1), ""),
                partner.value());
    }

    @Override
    public Optional<StreamConsumer> consumer(PartnerId partner, String name) {
        return jdbc.queryOne(
                "SELECT name, cursor, created_at, updated_at FROM stream_consumers WHERE partner_id = ?"
                        + " AND name = ?",
                rs -> new StreamConsumer(
                        rs.getString(1),
                        rs.getString(2),
                        Instant.ofEpochMilli(rs.getLong(3)),
                        Instant.ofEpochMilli(rs.getLong(4))),
                partner.value(),
                name);
    }

    @Override
    public boolean commit(PartnerId partner, String name, String cursor, Instant at) {
        return jdbc.inTransaction(c -> {
            int updated = Jdbc.update(
                    c,
                    "UPDATE stream_consumers SET cursor = ?, updated_at = ? WHERE partner_id = ?" + " AND name = ?",
                    cursor,
                    at.toEpochMilli(),
                    partner.value(),
                    name);
            if (updated == 1) {
                return false;
            }
            // two first commits racing: the later insert finds the row and does nothing; it is an update then
            int inserted = Jdbc.update(
                    c,
                    "INSERT INTO stream_consumers (partner_id, name, cursor, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (partner_id, name) DO NOTHING",
                    partner.value(),
                    name,
                    cursor,
                    at.toEpochMilli(),
                    at.toEpochMilli());
            if (inserted == 0) {
                Jdbc.update(
                        c,
                        "UPDATE stream_consumers SET cursor = ?, updated_at = ? WHERE partner_id = ? AND name = ?",
                        cursor,
                        at.toEpochMilli(),
                        partner.value(),
                        name);
            }
            return inserted == 1;
        });
    }
}
