package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore.Append;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.EventStore.Stored;
import io.partnerhooks.storage.jdbc.ClaimStrategy;
import io.partnerhooks.storage.jdbc.DataAccessException;
import io.partnerhooks.storage.jdbc.Dialect;
import io.partnerhooks.storage.jdbc.GroupCommit;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place that writes events and new delivery rows: publishes (through the group commit),
 * the events other stores write in their own transactions (entity changes, quota firings, Meta's
 * relays and account events), collapse, and a replay's deliveries. Every writer numbers an event
 * in its subject's sequence, holds back an ordered delivery behind its chain's head (OrderedKeys)
 * and writes the same columns, whichever store asks: the inserts themselves are {@link EventRows}.
 */
final class EventWriter {
    private final Dialect dialect;
    private final ClaimStrategy claims;
    private final GroupCommit writes;

    EventWriter(Dialect dialect, GroupCommit writes) {
        this.dialect = dialect;
        this.claims = dialect.claimStrategy();
        this.writes = writes;
    }

    /**
     * Publishes: concurrent publishes share one commit and one insert statement per table; a
     * multi-event append is one block of such a commit, so it is all or nothing.
     */
    List<Stored> publish(List<Append> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        for (int round = 0; ; round++) {
            try {
                return items.size() == 1
                        ? List.of(writes.runBatched(appendEach, items.get(0)))
                        : writes.run(c -> append(c, items));
            } catch (DataAccessException ex) {
                // Two publishes with the same idempotency key raced and this one lost: once more,
                // and the winner's event, committed by now, is found by its key.
                boolean keyed = items.stream().anyMatch(x -> x.event().idempotencyKey() != null);
                if (round > 0 || !keyed || !dialect.isUniqueViolation(ex.sqlException())) {
                    throw ex;
                }
            }
        }
    }

    /** One instance for every caller, so that the group commit can put their publishes in one batch. */
    private final GroupCommit.BatchBlock<Append, Stored> appendEach = this::append;

    /**
     * Appends many events in the caller's transaction. An event with an idempotency key goes in on
     * its own (its key is checked first, so a repeat within the batch finds the earlier one); the
     * others share one sequence update per subject and one batch insert per table.
     */
    List<Stored> append(Connection c, List<Append> items) throws SQLException {
        Stored[] out = new Stored[items.size()];
        List<Append> plain = new ArrayList<>();
        List<Integer> plainAt = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Append x = items.get(i);
            Event e = x.event();
            if (e.idempotencyKey() != null) {
                Optional<EventId> existing = findByKey(c, e.partnerId(), e.idempotencyKey());
                if (existing.isPresent()) {
                    out[i] = new Stored(existing.get(), false, 0);
                    continue;
                }
                long seq = EventRows.insert(c, e, x.deliveries());
                out[i] = new Stored(e.id(), true, seq, supersede(c, e, seq, x.deliveries()));
            } else {
                plain.add(x);
                plainAt.add(i);
            }
        }
        if (!plain.isEmpty()) {
            long[] sequences = EventRows.insertAll(c, plain);
            for (int k = 0; k < plain.size(); k++) {
                Append x = plain.get(k);
                out[plainAt.get(k)] = new Stored(
                        x.event().id(), true, sequences[k], supersede(c, x.event(), sequences[k], x.deliveries()));
            }
        }
        return Arrays.asList(out);
    }

    private static Optional<EventId> findByKey(Connection c, PartnerId partner, String key) throws SQLException {
        List<EventId> ids = Jdbc.query(
                c,
                "SELECT id FROM events WHERE partner_id = ? AND idempotency_key = ?",
                rs -> new EventId(rs.getString(1)),
                partner.value(),
                key);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    /** One event and its deliveries in the caller's transaction; the event's sequence number. */
    long insert(Connection c, Event e, List<NewDelivery> deliveries) throws SQLException {
        return EventRows.insert(c, e, deliveries);
    }

    /**
     * Collapse: for each new delivery marked {@link NewDelivery#superseding}, the same endpoint's
     * deliveries of older events of the same type and ordering key that are still waiting (never
     * claimed, between retries, or left by a lease that ran out) become {@code superseded}. A row
     * under a live lease is being sent and is left alone; taking the lease token away also makes a
     * late finish of an expired lease miss the row. Runs in the publishing transaction.
     */
    int supersede(Connection c, Event e, long sequence, List<NewDelivery> deliveries) throws SQLException {
        long now = e.createdAt().toEpochMilli();
        int n = 0;
        Set<OrderedKeys.Key> chains = new HashSet<>();
        for (NewDelivery d : deliveries) {
            if (!d.supersedes()) {
                continue;
            }
            int superseded = Jdbc.update(
                    c,
                    "UPDATE deliveries SET status = 'superseded', lease_token = NULL, updated_at = ?"
                            + " WHERE endpoint_id = ? AND status = 'pending' AND id <> ?"
                            + " AND (lease_token IS NULL OR next_attempt_at <= ?)"
                            + " AND EXISTS (SELECT 1 FROM events o WHERE o.id = deliveries.event_id AND o.partner_id = ?"
                            + " AND o.type = ? AND o.subject_key = ? AND o.sequence < ?)",
                    now,
                    d.endpointId().value(),
                    d.id().value(),
                    now,
                    e.partnerId().value(),
                    e.type(),
                    e.subjectKey(),
                    sequence);
            n += superseded;
            if (superseded > 0 && d.orderingKey() != null) {
                chains.add(new OrderedKeys.Key(d.endpointId().value(), d.orderingKey()));
            }
        }
        // an ordered chain whose head was superseded goes on with its next row (this transaction
        // numbered the key's event, so it holds the key's lock)
        OrderedKeys.promote(c, chains, now);
        return n;
    }

    /**
     * A delivery just written that is moot on arrival (a monotonic webhook's status below one
     * relayed before): final as superseded, naming what superseded it. If it was its chain's head,
     * the next one goes (the caller numbered its event, so it holds the key's lock).
     */
    void supersededOnArrival(Connection c, NewDelivery d, String supersededBy, long at) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE deliveries SET status = 'superseded', lease_token = NULL,"
                        + " superseded_by = ?, updated_at = ? WHERE id = ?",
                supersededBy,
                at,
                d.id().value());
        if (d.orderingKey() != null) {
            OrderedKeys.promote(c, Set.of(new OrderedKeys.Key(d.endpointId().value(), d.orderingKey())), at);
        }
    }

    /** An event a replay sends again: its id, ordering key (subject key) and sequence. */
    record Replayed(String eventId, String key, long sequence) {}

    /**
     * A replay's new deliveries of existing events to one endpoint, due at {@code at}. On an
     * ordered endpoint (ADR 11) each joins its key's chain: written held (at its sequence, under the
     * key's lock, as a publisher would), then each chain without a head promotes its lowest held
     * row, so keys still go one at a time in sequence order.
     */
    void replayed(
            Connection c, String replayId, Endpoint endpoint, List<Replayed> events, Supplier<DeliveryId> ids, long at)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String endpointId = endpoint.id().value();
        String partnerId = endpoint.partnerId().value();
        boolean ordered = endpoint.profile().ordered();
        Set<OrderedKeys.Key> chains = new HashSet<>();
        if (ordered) {
            Set<ClaimStrategy.ChainLock> locks = new HashSet<>();
            for (Replayed x : events) {
                locks.add(new ClaimStrategy.ChainLock(partnerId, x.key()));
                chains.add(new OrderedKeys.Key(endpointId, x.key()));
            }
            claims.lockChains(c, locks);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO deliveries (id, event_id, endpoint_id,"
                + " partner_id, status, attempt_count, next_attempt_at, created_at, updated_at, replay_id,"
                + " ordering_key) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)")) {
            for (Replayed x : events) {
                Jdbc.bind(
                        ps,
                        ids.get().value(),
                        x.eventId(),
                        endpointId,
                        partnerId,
                        ordered ? OrderedKeys.HELD + x.sequence() : at,
                        at,
                        at,
                        replayId,
                        ordered ? x.key() : null);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        OrderedKeys.promote(c, chains, at);
    }
}
