package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.storage.jdbc.DataAccessException;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcEntityStore implements EntityStore {
    private final Jdbc jdbc;
    private final Dialect dialect;

    JdbcEntityStore(Jdbc jdbc, Dialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    @Override
    public List<Event> change(String kind, String id, Step step, Instant now) {
        try {
            return attempt(kind, id, step, now);
        } catch (DataAccessException e) {
            // Two nodes created the same entity at once: the loser runs again and sees the winner's state.
            if (dialect.isUniqueViolation(e.sqlException())) {
                return attempt(kind, id, step, now);
            }
            throw e;
        }
    }

    private List<Event> attempt(String kind, String id, Step step, Instant now) {
        long at = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            List<Entity> current = Jdbc.query(c, "SELECT kind, id, partner_id, state FROM entities WHERE kind = ? AND id = ?"
                    + dialect.rowLockClause(), JdbcEntityStore::map, kind, id);
            Outcome o = step.apply(current.isEmpty() ? Optional.empty() : Optional.of(current.get(0)));
            if (o.next() != null) {
                if (current.isEmpty()) {
                    Jdbc.update(c, "INSERT INTO entities (kind, id, partner_id, state, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?)", kind, id, o.next().partnerId(), o.next().stateJson(), at, at);
                } else {
                    Jdbc.update(c, "UPDATE entities SET partner_id = ?, state = ?, updated_at = ? WHERE kind = ? AND id = ?",
                            o.next().partnerId(), o.next().stateJson(), at, kind, id);
                }
            }
            List<Event> written = new ArrayList<>();
            for (Emission e : o.emit()) {
                long seq = JdbcEventStore.insert(c, e.event(), e.deliveries());
                written.add(e.event().withSequence(seq));
            }
            return written;
        });
    }

    @Override
    public Optional<Entity> find(String kind, String id) {
        return jdbc.queryOne("SELECT kind, id, partner_id, state FROM entities WHERE kind = ? AND id = ?",
                JdbcEntityStore::map, kind, id);
    }

    @Override
    public List<Entity> list(PartnerId partner, String kind, int limit, String afterId) {
        return afterId == null
                ? jdbc.query("SELECT kind, id, partner_id, state FROM entities WHERE partner_id = ? AND kind = ?"
                        + " ORDER BY id LIMIT ?", JdbcEntityStore::map, partner.value(), kind, limit)
                : jdbc.query("SELECT kind, id, partner_id, state FROM entities WHERE partner_id = ? AND kind = ? AND id > ?"
                        + " ORDER BY id LIMIT ?", JdbcEntityStore::map, partner.value(), kind, afterId, limit);
    }

    private static Entity map(ResultSet rs) throws SQLException {
        return new Entity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }
}
