package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.DeliveryStatus;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.core.port.ReplayStore;
import io.partnerhooks.core.port.RetentionStore;
import io.partnerhooks.core.port.Store;
import io.partnerhooks.core.port.StreamStore;
import io.partnerhooks.core.port.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The stores the use cases and the dispatcher need, in memory, behaving as the JDBC stores do
 * where callers rely on it (see storage's StoreContractTest): an event and its deliveries are
 * written together or not at all, an idempotency key answers the first event, each subject
 * numbers its events from 1, a claim leases due rows of claimable endpoints (a row's due time
 * becomes its lease's end, as in the database) and a completion only counts with the current lease
 * token, ordered deliveries of one key form a chain with one head, and collapse supersedes older
 * waiting deliveries. Every method runs under one lock, so concurrent callers (the dispatcher's
 * senders) see one order of changes.
 *
 * <p>Not faked: the stores no unit test here needs (Meta inbox, retention, stream, replays) and
 * the reads only the API uses; they throw {@link UnsupportedOperationException}. A unit of work
 * ({@link #transactions()}) defers its after-commit actions and drops them when the work throws,
 * but does not roll back what the work wrote: rollback is the database's and is tested there.
 */
public final class InMemoryStore implements Store, Transactions {
    /** As in storage's OrderedKeys: a held row's due time is this plus its event's sequence. */
    static final long HELD = 1L << 62;

    /** One delivery row, as the deliveries table holds it. */
    static final class Row {
        final DeliveryId id;
        final EventId eventId;
        final EndpointId endpointId;
        final PartnerId partnerId;
        final Instant createdAt;
        final String orderingKey;
        DeliveryStatus status = DeliveryStatus.PENDING;
        int attemptCount;
        long nextAt;
        String leaseToken;
        final List<Attempt> attempts = new ArrayList<>();

        Row(
                DeliveryId id,
                EventId eventId,
                EndpointId endpointId,
                PartnerId partnerId,
                Instant createdAt,
                String orderingKey) {
            this.id = id;
            this.eventId = eventId;
            this.endpointId = endpointId;
            this.partnerId = partnerId;
            this.createdAt = createdAt;
            this.orderingKey = orderingKey;
        }

        boolean held() {
            return status == DeliveryStatus.PENDING && orderingKey != null && nextAt >= HELD;
        }
    }

    final Map<EventId, Event> events = new LinkedHashMap<>();
    final Map<String, EventId> idempotencyKeys = new LinkedHashMap<>();
    final Map<String, Long> sequences = new LinkedHashMap<>();
    final Map<DeliveryId, Row> rows = new LinkedHashMap<>();

    private final InMemoryPartners partners = new InMemoryPartners(this);
    private final InMemoryEndpoints endpoints = new InMemoryEndpoints(this);
    private final InMemoryEvents eventStore = new InMemoryEvents(this);
    private final InMemoryQueue queue = new InMemoryQueue(this);
    private final InMemoryWorkspaces workspaces = new InMemoryWorkspaces(this);
    private final InMemoryEntities entities = new InMemoryEntities(this);
    private final InMemoryAudit audit = new InMemoryAudit();
    private final InMemoryPortalLinks portalLinks = new InMemoryPortalLinks();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

    @Override
    public InMemoryPartners partners() {
        return partners;
    }

    @Override
    public InMemoryEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public InMemoryEvents events() {
        return eventStore;
    }

    @Override
    public InMemoryQueue queue() {
        return queue;
    }

    @Override
    public InMemoryWorkspaces workspaces() {
        return workspaces;
    }

    @Override
    public InMemoryEntities entities() {
        return entities;
    }

    @Override
    public MetaInbox metaInbox() {
        throw notFaked("MetaInbox");
    }

    @Override
    public InMemoryAudit audit() {
        return audit;
    }

    @Override
    public RetentionStore retention() {
        throw notFaked("RetentionStore");
    }

    @Override
    public InMemoryPortalLinks portalLinks() {
        return portalLinks;
    }

    @Override
    public StreamStore stream() {
        throw notFaked("StreamStore");
    }

    @Override
    public ReplayStore replays() {
        throw notFaked("ReplayStore");
    }

    @Override
    public Transactions transactions() {
        return this;
    }

    @Override
    public boolean ping() {
        return true;
    }

    @Override
    public void close() {}

    static UnsupportedOperationException notFaked(String what) {
        return new UnsupportedOperationException(what + " is not faked in memory; test it against a database");
    }

    // ---- Transactions ----

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (afterCommit.get() != null) {
            return work.get();
        }
        List<Runnable> actions = new ArrayList<>();
        afterCommit.set(actions);
        T result;
        try {
            result = work.get();
        } finally {
            afterCommit.remove();
        }
        actions.forEach(Runnable::run);
        return result;
    }

    @Override
    public void afterCommit(Runnable action) {
        List<Runnable> actions = afterCommit.get();
        if (actions == null) {
            action.run();
        } else {
            actions.add(action);
        }
    }

    // ---- shared by every store that writes events (the caller holds the lock) ----

    static String partnerKey(PartnerId partner, String key) {
        return partner.value() + "\n" + key;
    }

    /** Refuses what the primary keys would refuse, before anything of the write is made. */
    void checkNew(Event e, List<NewDelivery> deliveries, Set<DeliveryId> alsoNew) {
        if (events.containsKey(e.id())) {
            throw new IllegalStateException("duplicate event id " + e.id());
        }
        for (NewDelivery d : deliveries) {
            if (rows.containsKey(d.id()) || !alsoNew.add(d.id())) {
                throw new IllegalStateException("duplicate delivery id " + d.id());
            }
        }
    }

    /** Writes the event (numbered in its subject) and its deliveries; returns the sequence. */
    long insert(Event e, List<NewDelivery> deliveries) {
        long seq = sequences.merge(partnerKey(e.partnerId(), e.subjectKey()), 1L, Long::sum);
        events.put(e.id(), e.withSequence(seq));
        if (e.idempotencyKey() != null) {
            idempotencyKeys.put(partnerKey(e.partnerId(), e.idempotencyKey()), e.id());
        }
        long created = e.createdAt().toEpochMilli();
        for (NewDelivery d : deliveries) {
            boolean held = d.orderingKey() != null && hasHead(d.endpointId(), d.orderingKey(), null);
            Row r = new Row(d.id(), e.id(), d.endpointId(), e.partnerId(), e.createdAt(), d.orderingKey());
            r.nextAt = held
                    ? HELD + seq
                    : d.leasedUntil() == null ? created : d.leasedUntil().toEpochMilli();
            r.leaseToken = d.leaseToken();
            rows.put(d.id(), r);
        }
        return seq;
    }

    /** Whether the chain (endpoint, key) has a head: a pending row of the key that is not held. */
    boolean hasHead(EndpointId endpoint, String key, DeliveryId besides) {
        for (Row r : rows.values()) {
            if (r.endpointId.equals(endpoint)
                    && key.equals(r.orderingKey)
                    && r.status == DeliveryStatus.PENDING
                    && r.nextAt < HELD
                    && !r.id.equals(besides)) {
                return true;
            }
        }
        return false;
    }

    /** When the chain has no head, its lowest held row becomes due now. */
    void promote(EndpointId endpoint, String key, long nowMs) {
        if (hasHead(endpoint, key, null)) {
            return;
        }
        Row lowest = null;
        for (Row r : rows.values()) {
            if (r.endpointId.equals(endpoint)
                    && key.equals(r.orderingKey)
                    && r.held()
                    && (lowest == null || r.nextAt < lowest.nextAt)) {
                lowest = r;
            }
        }
        if (lowest != null) {
            lowest.nextAt = nowMs;
        }
    }

    /** The due time of a row made pending again: due now, or held at its sequence behind its chain's head. */
    long pendingAgainAt(Row r, long nowMs) {
        if (r.orderingKey != null && hasHead(r.endpointId, r.orderingKey, r.id)) {
            return HELD + events.get(r.eventId).sequence();
        }
        return nowMs;
    }

    /** Collapse: older waiting deliveries of the same type and key to the endpoint become superseded. */
    int supersede(Event e, long sequence, List<NewDelivery> deliveries) {
        long now = e.createdAt().toEpochMilli();
        int n = 0;
        for (NewDelivery d : deliveries) {
            if (!d.supersedes()) {
                continue;
            }
            boolean any = false;
            for (Row r : rows.values()) {
                Event older = events.get(r.eventId);
                if (r.endpointId.equals(d.endpointId())
                        && r.status == DeliveryStatus.PENDING
                        && !r.id.equals(d.id())
                        && (r.leaseToken == null || r.nextAt <= now)
                        && older.partnerId().equals(e.partnerId())
                        && older.type().equals(e.type())
                        && older.subjectKey().equals(e.subjectKey())
                        && older.sequence() < sequence) {
                    r.status = DeliveryStatus.SUPERSEDED;
                    r.leaseToken = null;
                    n++;
                    any = true;
                }
            }
            if (any && d.orderingKey() != null) {
                promote(d.endpointId(), d.orderingKey(), now);
            }
        }
        return n;
    }

    /** A row as the API reads it: held rows name their chain's head and have no next attempt. */
    Delivery delivery(Row r) {
        DeliveryId heldBy = null;
        if (r.held()) {
            for (Row h : rows.values()) {
                if (h.endpointId.equals(r.endpointId)
                        && r.orderingKey.equals(h.orderingKey)
                        && h.status == DeliveryStatus.PENDING
                        && h.nextAt < HELD) {
                    heldBy = h.id;
                }
            }
        }
        Instant next = r.held() ? null : Instant.ofEpochMilli(r.nextAt);
        return new Delivery(
                r.id,
                r.eventId,
                r.endpointId,
                r.status,
                r.attemptCount,
                next,
                r.createdAt,
                List.copyOf(r.attempts),
                heldBy,
                null);
    }

    // ---- for tests to look at ----

    /** Every delivery row of the event, in insertion order. */
    public synchronized List<Delivery> deliveriesOf(EventId event) {
        List<Delivery> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.eventId.equals(event)) {
                out.add(delivery(r));
            }
        }
        return out;
    }

    /** One delivery row, whoever owns it. */
    public synchronized Delivery delivery(DeliveryId id) {
        Row r = rows.get(id);
        if (r == null) {
            throw new AssertionError("no delivery " + id);
        }
        return delivery(r);
    }

    /** The lease token the row carries now (null when none). */
    public synchronized String leaseToken(DeliveryId id) {
        return rows.get(id).leaseToken;
    }

    /** Every event written, in writing order. */
    public synchronized List<Event> allEvents() {
        return List.copyOf(events.values());
    }

    /** A partner's endpoints, read back for a test (including the health completions wrote). */
    public Endpoint endpoint(Endpoint e) {
        return endpoints.find(e.partnerId(), e.id()).orElseThrow();
    }
}
