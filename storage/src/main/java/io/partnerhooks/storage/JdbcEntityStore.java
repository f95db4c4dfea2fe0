package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EntityStore.Claim;
import io.partnerhooks.storage.jdbc.DataAccessException;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcEntityStore implements EntityStore {
    private final Jdbc jdbc;
    private final Dialect dialect;
    private final EventWriter events;

    JdbcEntityStore(Jdbc jdbc, Dialect dialect, EventWriter events) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.events = events;
    }

    @Override
    public List<Event> change(String kind, String id, Step step, Instant now) {
        try {
            return attempt(kind, id, step, now);
        } catch (DataAccessException e) {
            // Two nodes created the same entity at once: the loser runs again and sees the winner's state.
            if (dialect.isUniqueViolation(e.sqlException()) && !takesANumber(e)) {
                try {
                    return attempt(kind, id, step, now);
                } catch (DataAccessException again) {
                    throw refusedNumber(again);
                }
            }
            throw refusedNumber(e);
        }
    }

    /** True when the unique index on phone_number_id refused the write (both dialects name the column or index). */
    private boolean takesANumber(DataAccessException e) {
        return dialect.isUniqueViolation(e.sqlException())
                && String.valueOf(e.sqlException().getMessage()).contains("phone_number_id");
    }

    /** A race the pre-check could not see (two channels given one number at once) becomes the same 409. */
    private RuntimeException refusedNumber(DataAccessException e) {
        return takesANumber(e)
                ? new ConflictException("phone_number_id", "this phone_number_id belongs to another channel")
                : e;
    }

    private List<Event> attempt(String kind, String id, Step step, Instant now) {
        long at = now.toEpochMilli();
        return jdbc.inTransaction(c -> {
            List<Entity> current = Jdbc.query(
                    c,
                    "SELECT kind, id, partner_id, state FROM entities WHERE kind = ? AND id = ?"
                            + dialect.rowLockClause(),
                    JdbcEntityStore::map,
                    kind,
                    id);
            Outcome o = step.apply(current.isEmpty() ? Optional.empty() : Optional.of(current.get(0)));
            if (o.next() != null) {
                if (current.isEmpty()) {
                    Jdbc.update(
                            c,
                            "INSERT INTO entities (kind, id, partner_id, state, created_at, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?, ?)",
                            kind,
                            id,
                            o.next().partnerId(),
                            o.next().stateJson(),
                            at,
                            at);
                } else {
                    Jdbc.update(
                            c,
                            "UPDATE entities SET partner_id = ?, state = ?, updated_at = ? WHERE kind = ? AND id = ?",
                            o.next().partnerId(),
                            o.next().stateJson(),
                            at,
                            kind,
                            id);
                }
            }
            for (Claim claim : o.claims()) {
                claim(c, claim, o.next().partnerId(), at);
            }
            List<Event> written = new ArrayList<>();
            for (Emission e : o.emit()) {
                long seq = events.insert(c, e.event(), e.deliveries());
                written.add(e.event().withSequence(seq));
            }
            return written;
        });
    }

    /**
     * Insert-or-ignore under the claim's primary key, then read who holds it: on PostgreSQL a second
     * transaction inserting the same claim waits for the first to commit and then reads its holder.
     */
    private static void claim(Connection c, Claim claim, String partnerId, long at) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO entity_claims (name, value, partner_id, created_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (name, value) DO NOTHING",
                claim.name(),
                claim.value(),
                partnerId,
                at);
        List<String> holder = Jdbc.query(
                c,
                "SELECT partner_id FROM entity_claims WHERE name = ? AND value = ?",
                rs -> rs.getString(1),
                claim.name(),
                claim.value());
        if (!holder.isEmpty() && !holder.get(0).equals(partnerId)) {
            throw new ConflictException(claim.name(), "this " + claim.name() + " belongs to another partner");
        }
    }

    @Override
    public Optional<Entity> channelByPhoneNumberId(String phoneNumberId) {
        return jdbc.queryOne(
                "SELECT kind, id, partner_id, state FROM entities WHERE kind = 'channel'" + " AND phone_number_id = ?",
                JdbcEntityStore::map,
                phoneNumberId);
    }

    @Override
    public Optional<String> claimHolder(String name, String value) {
        return jdbc.queryOne(
                "SELECT partner_id FROM entity_claims WHERE name = ? AND value = ?",
                rs -> rs.getString(1),
                name,
                value);
    }

    @Override
    public Optional<Entity> find(PartnerId partner, String kind, String id) {
        return jdbc.queryOne(
                "SELECT kind, id, partner_id, state FROM entities WHERE partner_id = ? AND kind = ? AND id = ?",
                JdbcEntityStore::map,
                partner.value(),
                kind,
                id);
    }

    @Override
    public Optional<Entity> findAny(String kind, String id) {
        return jdbc.queryOne(
                "SELECT kind, id, partner_id, state FROM entities WHERE kind = ? AND id = ?",
                JdbcEntityStore::map,
                kind,
                id);
    }

    @Override
    public List<Entity> list(PartnerId partner, String kind, int limit, String afterId) {
        return afterId == null
                ? jdbc.query(
                        "SELECT kind, id, partner_id, state FROM entities WHERE partner_id = ? AND kind = ?"
                                + " ORDER BY id LIMIT ?",
                        JdbcEntityStore::map,
                        partner.value(),
                        kind,
                        limit)
                : jdbc.query(
                        "SELECT kind, id, partner_id, state FROM entities WHERE partner_id = ? AND kind = ? AND id > ?"
                                + " ORDER BY id LIMIT ?",
                        JdbcEntityStore::map,
                        partner.value(),
                        kind,
                        afterId,
                        limit);
    }

    private static Entity map(ResultSet rs) throws SQLException {
        return new Entity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }
}
