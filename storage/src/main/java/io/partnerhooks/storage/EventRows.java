package io.partnerhooks.storage;

import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.port.EventStore.Append;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.storage.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The inserts of {@link EventWriter}: event rows numbered in their subject's sequence, and their
 * delivery rows, an ordered one written held when its chain already has a head (OrderedKeys). One
 * event at a time, or a batch that takes one sequence upsert per subject and one insert statement
 * per table. Each runs in the caller's transaction.
 */
final class EventRows {
    private EventRows() {}

    /**
     * The delivery rows' insert: leased rows carry their lease and fall due when it ends; an
     * ordered row behind a pending one of its key is held (OrderedKeys).
     */
    private static final String INSERT_DELIVERY = "INSERT INTO deliveries (id, event_id, endpoint_id, partner_id,"
            + " status, attempt_count, next_attempt_at, created_at, updated_at, lease_token, ordering_key)"
            + " VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?)";

    private static final String INSERT_EVENT = "INSERT INTO events (" + JdbcEventStore.COLUMNS + ", workspace_id,"
            + " channel_id, phone_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bindDelivery(PreparedStatement ps, Event e, long sequence, NewDelivery d, boolean held)
            throws SQLException {
        long created = e.createdAt().toEpochMilli();
        long due = held
                ? OrderedKeys.HELD + sequence
                : d.leasedUntil() == null ? created : d.leasedUntil().toEpochMilli();
        Jdbc.bind(
                ps,
                d.id().value(),
                e.id().value(),
                d.endpointId().value(),
                e.partnerId().value(),
                due,
                created,
                created,
                d.leaseToken(),
                d.orderingKey());
        ps.addBatch();
    }

    /**
     * Which of these events' ordered deliveries must wait: those whose chain (endpoint, key) has a
     * head already, and those behind another of the same chain earlier in the list (events come in
     * sequence order). One query, and only when there are ordered deliveries; the caller holds the
     * keys' locks (it numbered their events).
     */
    private static Set<DeliveryId> held(Connection c, List<Append> items) throws SQLException {
        Set<OrderedKeys.Key> keys = new HashSet<>();
        for (Append x : items) {
            for (NewDelivery d : x.deliveries()) {
                if (d.orderingKey() != null) {
                    keys.add(new OrderedKeys.Key(d.endpointId().value(), d.orderingKey()));
                }
            }
        }
        if (keys.isEmpty()) {
            return Set.of();
        }
        Set<OrderedKeys.Key> busy = OrderedKeys.withHead(c, keys);
        Set<DeliveryId> out = new HashSet<>();
        for (Append x : items) {
            for (NewDelivery d : x.deliveries()) {
                if (d.orderingKey() != null
                        && !busy.add(new OrderedKeys.Key(d.endpointId().value(), d.orderingKey()))) {
                    out.add(d.id());
                }
            }
        }
        return out;
    }

    /** Many events (none with an idempotency key) and their deliveries; their sequence numbers, in order. */
    static long[] insertAll(Connection c, List<Append> items) throws SQLException {
        // Sequence numbers: one upsert per subject, taking as many numbers as the batch has events
        // of it; subjects in sorted order, so that batches lock their rows in one order.
        Map<List<String>, Integer> perSubject = new TreeMap<>(
                Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        for (Append x : items) {
            perSubject.merge(List.of(x.event().partnerId().value(), x.event().subjectKey()), 1, Integer::sum);
        }
        Map<List<String>, long[]> next = new HashMap<>();
        for (var s : perSubject.entrySet()) {
            long last = Jdbc.query(
                            c,
                            "INSERT INTO subject_sequences (partner_id, subject_key, last_value) VALUES (?, ?, ?)"
                                    + " ON CONFLICT (partner_id, subject_key) DO UPDATE SET last_value = subject_sequences.last_value + ?"
                                    + " RETURNING last_value",
                            rs -> rs.getLong(1),
                            s.getKey().get(0),
                            s.getKey().get(1),
                            (long) s.getValue(),
                            (long) s.getValue())
                    .get(0);
            next.put(s.getKey(), new long[] {last - s.getValue() + 1});
        }
        long[] sequences = new long[items.size()];
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            for (int i = 0; i < items.size(); i++) {
                Event e = items.get(i).event();
                long sequence = next.get(List.of(e.partnerId().value(), e.subjectKey()))[0]++;
                sequences[i] = sequence;
                Jdbc.bind(ps, eventRow(e, sequence));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        boolean any = false;
        Set<DeliveryId> held = held(c, items);
        try (PreparedStatement ps = c.prepareStatement(INSERT_DELIVERY)) {
            for (int i = 0; i < items.size(); i++) {
                Append x = items.get(i);
                for (NewDelivery d : x.deliveries()) {
                    bindDelivery(ps, x.event(), sequences[i], d, held.contains(d.id()));
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
        return sequences;
    }

    /** The values of {@link #INSERT_EVENT} for one event at its sequence number, in column order. */
    private static Object[] eventRow(Event e, long sequence) {
        String[] ids = SubjectIds.of(e.subjectJson());
        return new Object[] {
            e.id().value(),
            e.partnerId().value(),
            e.type(),
            e.subjectJson(),
            e.dataJson(),
            e.createdAt().toEpochMilli(),
            e.idempotencyKey(),
            e.subjectKey(),
            sequence,
            e.test(),
            e.traceContext(),
            ids[0],
            ids[1],
            ids[2]
        };
    }

    /** One event and its deliveries in the caller's transaction; the event's sequence number. */
    static long insert(Connection c, Event e, List<NewDelivery> deliveries) throws SQLException {
        // The upsert takes the stream's row lock until commit: concurrent events of one subject get
        // consecutive numbers in commit order, on any number of nodes.
        long sequence = Jdbc.query(
                        c,
                        "INSERT INTO subject_sequences (partner_id, subject_key, last_value) VALUES (?, ?, 1)"
                                + " ON CONFLICT (partner_id, subject_key) DO UPDATE SET last_value = subject_sequences.last_value + 1"
                                + " RETURNING last_value",
                        rs -> rs.getLong(1),
                        e.partnerId().value(),
                        e.subjectKey())
                .get(0);
        Jdbc.update(c, INSERT_EVENT, eventRow(e, sequence));
        if (deliveries.isEmpty()) {
            return sequence;
        }
        Set<DeliveryId> held = held(c, List.of(new Append(e, deliveries)));
        try (PreparedStatement ps = c.prepareStatement(INSERT_DELIVERY)) {
            for (NewDelivery d : deliveries) {
                bindDelivery(ps, e, sequence, d, held.contains(d.id()));
            }
            ps.executeBatch();
        }
        return sequence;
    }
}
