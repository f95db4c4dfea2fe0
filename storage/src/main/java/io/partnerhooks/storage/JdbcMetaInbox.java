package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.domain.InboxCallback.Status;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.port.EntityStore.Emission;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.storage.jdbc.GroupCommit;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

final class JdbcMetaInbox implements MetaInbox {
    private static final String CALLBACK_COLUMNS =
            "id, received_at, body, status, changes, relayed, duplicates, unroutable";
    private final Jdbc jdbc;
    private final GroupCommit writes;
    private final EventWriter events;

    JdbcMetaInbox(Jdbc jdbc, GroupCommit writes, EventWriter events) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.events = events;
    }

    @Override
    public Saved save(InboxCallback cb, List<Relay> relays, List<AccountEvent> partnerEvents) {
        long at = cb.receivedAt().toEpochMilli();
        // Concurrent callbacks share one commit with each other and with publishes and outcomes
        // (GroupCommit): Meta is answered after that commit, so a burst costs one fsync, not one each.
        return writes.run(c -> {
            List<Event> written = new ArrayList<>();
            int relayed = 0;
            int duplicates = 0;
            int superseded = 0;
            Set<EventId> heldBack = new HashSet<>();
            for (Relay r : relays) {
                // Insert-or-ignore: on PostgreSQL a second node inserting the same key waits for the
                // first to commit and then sees the conflict, so a redelivery racing the original is
                // relayed once.
                boolean fresh = false;
                for (String key : r.keys()) {
                    fresh |= Jdbc.update(
                                    c,
                                    "INSERT INTO meta_relayed (channel_id, item_key, callback_id, created_at)"
                                            + " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id, item_key) DO NOTHING",
                                    r.channelId(),
                                    key,
                                    cb.id(),
                                    at)
                            == 1;
                }
                if (!fresh) {
                    duplicates++;
                    continue;
                }
                long seq = events.insert(c, r.event(), r.deliveries());
                written.add(r.event().withSequence(seq));
                relayed++;
                for (NewDelivery d : r.deliveries()) {
                    String higher = statusAlreadyPast(c, d.endpointId().value(), r.statuses(), at);
                    if (higher != null) {
                        // monotonic webhook, and every status in this change is below one relayed
                        // before for its message: final as superseded, naming what superseded it
                        events.supersededOnArrival(c, d, higher, at);
                        heldBack.add(r.event().id());
                        superseded++;
                    }
                }
            }
            for (AccountEvent a : partnerEvents) {
                // Account-level keys share meta_relayed (and its retention) with the relays, scoped
                // "waba:<id>" where relays name their channel; the key's own prefix keeps them apart.
                if (Jdbc.update(
                                c,
                                "INSERT INTO meta_relayed (channel_id, item_key, callback_id, created_at)"
                                        + " VALUES (?, ?, ?, ?) ON CONFLICT (channel_id, item_key) DO NOTHING",
                                "waba:" + a.wabaId(),
                                a.key(),
                                cb.id(),
                                at)
                        != 1) {
                    duplicates++;
                    continue;
                }
                Emission e = a.emission();
                long seq = events.insert(c, e.event(), e.deliveries());
                // account state (quality, limits) collapses like a published event of its type
                superseded += events.supersede(c, e.event(), seq, e.deliveries());
                written.add(e.event().withSequence(seq));
            }
            Jdbc.update(
                    c,
                    "INSERT INTO meta_callbacks (" + CALLBACK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    cb.id(),
                    at,
                    cb.body(),
                    cb.status().wire(),
                    cb.changes(),
                    relayed,
                    duplicates,
                    cb.unroutable());
            return new Saved(written, relayed, duplicates, superseded, heldBack);
        });
    }

    /**
     * For a webhook with {@code status_order = monotonic}: records each ranked status of the relay
     * as its message's highest so far when it is higher (one upsert per status, which also takes
     * the mark's row lock, so two nodes relaying statuses of one message decide in commit order).
     * Returns null when the relay goes out (not monotonic, nothing ranked, or some status moved its
     * message forward) and otherwise the status already relayed that makes it moot.
     */
    private static String statusAlreadyPast(
            Connection c, String endpointId, List<MetaInbox.StatusMark> statuses, long at) throws SQLException {
        List<MetaInbox.StatusMark> ranked =
                statuses.stream().filter(m -> m.rank() > 0).toList();
        if (ranked.isEmpty() || ranked.size() != statuses.size()) {
            return null;
        }
        List<String> order =
                Jdbc.query(c, "SELECT status_order FROM endpoints WHERE id = ?", rs -> rs.getString(1), endpointId);
        if (order.isEmpty() || !Endpoint.Profile.MONOTONIC.equals(order.get(0))) {
            return null;
        }
        boolean forward = false;
        for (MetaInbox.StatusMark m : ranked) {
            forward |= Jdbc.update(
                            c,
                            "INSERT INTO message_status_marks (endpoint_id, wamid, status_rank, status, updated_at)"
                                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint_id, wamid) DO UPDATE SET status_rank = excluded.status_rank,"
                                    + " status = excluded.status, updated_at = excluded.updated_at"
                                    + " WHERE message_status_marks.status_rank < excluded.status_rank",
                            endpointId,
                            m.wamid(),
                            m.rank(),
                            m.status(),
                            at)
                    == 1;
        }
        if (forward) {
            return null;
        }
        List<String> past = Jdbc.query(
                c,
                "SELECT status FROM message_status_marks WHERE endpoint_id = ? AND wamid = ?",
                rs -> rs.getString(1),
                endpointId,
                ranked.get(0).wamid());
        return past.isEmpty() ? ranked.get(0).status() : past.get(0);
    }

    @Override
    public List<InboxCallback> unrouted(int limit, String afterId) {
        return afterId == null
                ? jdbc.query(
                        "SELECT " + CALLBACK_COLUMNS + " FROM meta_callbacks WHERE status <> 'routed'"
                                + " ORDER BY id DESC LIMIT ?",
                        JdbcMetaInbox::map,
                        limit)
                : jdbc.query(
                        "SELECT " + CALLBACK_COLUMNS + " FROM meta_callbacks WHERE status <> 'routed' AND id < ?"
                                + " ORDER BY id DESC LIMIT ?",
                        JdbcMetaInbox::map,
                        afterId,
                        limit);
    }

    @Override
    public Optional<Entity> channelByPhoneNumberId(String phoneNumberId) {
        return jdbc.queryOne(
                "SELECT kind, id, partner_id, state FROM entities WHERE kind = 'channel'"
                        + " AND phone_number_id = ? ORDER BY id LIMIT 1",
                JdbcMetaInbox::entity,
                phoneNumberId);
    }

    @Override
    public Optional<Entity> channelByWabaId(String wabaId) {
        return jdbc.queryOne(
                "SELECT kind, id, partner_id, state FROM entities WHERE kind = 'channel'"
                        + " AND waba_id = ? ORDER BY id LIMIT 1",
                JdbcMetaInbox::entity,
                wabaId);
    }

    private static Entity entity(ResultSet rs) throws SQLException {
        return new Entity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
    }

    private static InboxCallback map(ResultSet rs) throws SQLException {
        return new InboxCallback(
                rs.getString(1),
                Instant.ofEpochMilli(rs.getLong(2)),
                rs.getString(3),
                Status.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)),
                rs.getInt(5),
                rs.getInt(6),
                rs.getInt(7),
                rs.getInt(8));
    }
}
