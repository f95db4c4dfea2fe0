package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.port.EntityStore.Emission;
import io.partnerhooks.core.port.EntityStore.Entity;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class JdbcMetaInbox implements MetaInbox {
    private static final String CALLBACK_COLUMNS =
            "id, received_at, body, status, changes, relayed, duplicates, unroutable";
    private final Jdbc jdbc;
    private final io.partnerhooks.storage.jdbc.GroupCommit writes;

    JdbcMetaInbox(Jdbc jdbc, io.partnerhooks.storage.jdbc.GroupCommit writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    @Override
    public Saved save(Callback cb, List<Relay> relays, List<AccountEvent> partnerEvents) {
        long at = cb.receivedAt().toEpochMilli();
        // Concurrent callbacks share one commit with each other and with publishes and outcomes
        // (GroupCommit): Meta is answered after that commit, so a burst costs one fsync, not one each.
        return writes.run(c -> {
            List<Event> written = new ArrayList<>();
            int relayed = 0;
            int duplicates = 0;
            int superseded = 0;
            for (Relay r : relays) {
                // Insert-or-ignore: on PostgreSQL a second node inserting the same key waits for the
                // first to commit and then sees the conflict, so a redelivery racing the original is
                // relayed once.
                boolean fresh = false;
                for (String key : r.keys()) {
                    fresh |= Jdbc.update(c, "INSERT INTO meta_relayed (channel_id, item_key, callback_id, created_at)"
                            + " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id, item_key) DO NOTHING", r.channelId(), key,
                            cb.id(), at) == 1;
                }
                if (!fresh) {
                    duplicates++;
                    continue;
                }
                long seq = JdbcEventStore.insert(c, r.event(), r.deliveries());
                written.add(r.event().withSequence(seq));
                relayed++;
            }
            for (AccountEvent a : partnerEvents) {
                // Account-level keys share meta_relayed (and its retention) with the relays, scoped
                // "waba:<id>" where relays name their channel; the key's own prefix keeps them apart.
                if (Jdbc.update(c, "INSERT INTO meta_relayed (channel_id, item_key, callback_id, created_at)"
                        + " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id, item_key) DO NOTHING", "waba:" + a.wabaId(),
                        a.key(), cb.id(), at) != 1) {
                    duplicates++;
                    continue;
                }
                Emission e = a.emission();
                long seq = JdbcEventStore.insert(c, e.event(), e.deliveries());
                // account state (quality, limits) collapses like a published event of its type
                superseded += JdbcEventStore.superseded(c, e.event(), seq, e.deliveries());
                written.add(e.event().withSequence(seq));
            }
            Jdbc.update(c, "INSERT INTO meta_callbacks (" + CALLBACK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    cb.id(), at, cb.body(), cb.status().wire(), cb.changes(), relayed, duplicates, cb.unroutable());
            return new Saved(written, relayed, duplicates, superseded);
        });
    }

    @Override
    public List<Callback> unrouted(int limit, String afterId) {
        return afterId == null
                ? jdbc.query("SELECT " + CALLBACK_COLUMNS + " FROM meta_callbacks WHERE status <> 'routed'"
                        + " ORDER BY id DESC LIMIT ?", JdbcMetaInbox::map, limit)
                : jdbc.query("SELECT " + CALLBACK_COLUMNS + " FROM meta_callbacks WHERE status <> 'routed' AND id < ?"
                        + " ORDER BY id DESC LIMIT ?", JdbcMetaInbox::map, afterId, limit);
    }

    @Override
    public Optional<Entity> channelByPhoneNumberId(String phoneNumberId) {
        return jdbc.queryOne("SELECT kind, id, partner_id, state FROM entities WHERE kind = 'channel'"
                + " AND phone_number_id = ? ORDER BY id LIMIT 1", JdbcMetaInbox::entity, phoneNumberId);
    }

    @Override
    public Optional<Entity> channelByWabaId(String wabaId) {
        return jdbc.queryOne("SELECT kind, id, partner_id, state FROM entities WHERE kind = 'channel'"
                + " AND waba_id = ? ORDER BY id LIMIT 1", JdbcMetaInbox::entity, wabaId);
    }

    private static Entity entity(ResultSet rs) throws SQLException {
        return new Entity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    private static Callback map(ResultSet rs) throws SQLException {
        return new Callback(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                Status.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), rs.getInt(5), rs.getInt(6), rs.getInt(7),
                rs.getInt(8));
    }
}
