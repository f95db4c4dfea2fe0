package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Committed rows leased to this node that found every slot of their endpoint busy, published
 * ({@link Reservations}) or claimed: they wait here (not in the queue) and start the moment a send
 * of their endpoint finishes (ADR 8, "waiting on the node"). At most {@value #WAIT_PER_SLOT} per
 * slot of the endpoint and the node's send cap on the node.
 */
final class WaitingLines {
    static final int WAIT_PER_SLOT = DeliveryQueue.ROWS_PER_SLOT - 1;

    private record Waiter(Claimed claimed, long since) {}

    /** One endpoint's waiting rows, and how many are promised (reserved, maybe not yet committed). */
    private static final class Waiting {
        final ConcurrentLinkedQueue<Waiter> rows = new ConcurrentLinkedQueue<>();
        final AtomicInteger promised = new AtomicInteger();
    }

    private final NodeSends node;
    private final EndpointSlots slots;
    private final int maxInFlight;
    private final Duration lease;
    /** The dispatcher's monotonic time, which ages the waiting rows. */
    private final LongSupplier nanoTime;

    private final ConcurrentHashMap<EndpointId, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger waitingTotal = new AtomicInteger();
    /** Endpoints whose waiting rows found the node's send cap full; the run loop starts them. */
    private final Set<EndpointId> stalledLines = ConcurrentHashMap.newKeySet();
    /**
     * Endpoints whose rows may wait on this node, as last seen by a claim or a publish: healthy,
     * not rate limited and not ordered (an ordered row's place is decided under its key's lock).
     */
    private final Set<EndpointId> lineable = ConcurrentHashMap.newKeySet();

    WaitingLines(NodeSends node, EndpointSlots slots, int maxInFlight, Duration lease, LongSupplier nanoTime) {
        this.node = node;
        this.slots = slots;
        this.maxInFlight = maxInFlight;
        this.lease = lease;
        this.nanoTime = nanoTime;
    }

    /** Endpoints whose fresh deliveries need no claim-time decision: not in cooldown, not rate limited. */
    boolean fastPathFor(Endpoint e) {
        if (!node.running() || e.health().inCooldown()) {
            return false;
        }
        Integer rate = e.limits().ratePerSecond();
        return rate == null || rate <= 0;
    }

    /**
     * Every slot of the endpoint is taken: a place among the rows that wait on this node for the
     * next one, while that line is short (a few answer times long, far inside the lease).
     */
    boolean reserveWait(Endpoint e) {
        if (!fastPathFor(e)) {
            return false;
        }
        if (waitingTotal.incrementAndGet() > maxInFlight) {
            waitingTotal.decrementAndGet();
            return false;
        }
        if (!EndpointSlots.tryTake(
                waiting.computeIfAbsent(e.id(), k -> new Waiting()).promised,
                WAIT_PER_SLOT * EndpointSlots.limitOf(e))) {
            waitingTotal.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A reserved place is filled: the committed row joins its endpoint's line. */
    void add(EndpointId id, Claimed c, long now) {
        waiting.get(id).rows.add(new Waiter(c, now));
    }

    /** A reserved place is given back unused (nothing was written). */
    void unpromise(EndpointId id) {
        waiting.get(id).promised.decrementAndGet();
        waitingTotal.decrementAndGet();
    }

    void noteLine(Endpoint e) {
        if (fastPathFor(e) && !e.profile().ordered()) {
            lineable.add(e.id());
        } else {
            lineable.remove(e.id());
        }
    }

    /** Rows waiting (or promised a place) in the endpoint's line on this node. */
    int lined(EndpointId id) {
        Waiting w = waiting.get(id);
        return w == null ? 0 : w.promised.get();
    }

    /**
     * How many rows a claim may add to the endpoint's waiting line: 0 for endpoints that may not
     * use one, and 0 until at least half of the line is free, so that a busy endpoint is claimed
     * for in batches of half its line rather than one row for each send that finishes.
     */
    int lineRoom(EndpointId id) {
        if (!lineable.contains(id)) {
            return 0;
        }
        Waiting w = waiting.get(id);
        int promised = w == null ? 0 : w.promised.get();
        int capacity = WAIT_PER_SLOT * slots.limit(id);
        int room = Math.min(capacity - promised, maxInFlight - waitingTotal.get());
        return room * 2 >= capacity ? room : 0;
    }

    /**
     * A claimed row whose endpoint has every slot busy joins that endpoint's waiting line, when
     * the endpoint may use one and the line has room (the same bounds as for fresh rows).
     */
    boolean joinLine(Claimed c, long now) {
        if (c.endpoint().profile().ordered() || !reserveWait(c.endpoint())) {
            return false;
        }
        waiting.get(c.endpoint().id()).rows.add(new Waiter(c, now));
        return true;
    }

    /** Gives back one of the endpoint's slots and lets its line take it. */
    void freeEndpointSlot(EndpointId id) {
        slots.free(id);
        pump(id);
    }

    /** Starts the lines that found the node's send cap full (see {@link #pump}). */
    void pumpStalledLines() {
        if (stalledLines.isEmpty()) {
            return;
        }
        for (EndpointId id : List.copyOf(stalledLines)) {
            // off the list first: a line that finds the cap full again goes back on it
            stalledLines.remove(id);
            pump(id);
        }
    }

    /**
     * Starts the endpoint's waiting rows while it has free slots. A row that has waited for half
     * its lease (a stalled endpoint, a paused node) goes to the queue instead, so that it is never
     * sent on a lease about to pass to another node; on shutdown every waiting row goes there.
     */
    void pump(EndpointId id) {
        Waiting w = waiting.get(id);
        if (w == null) {
            return;
        }
        long stale = lease.toNanos() / 2;
        AtomicInteger inFlight = node.inFlight();
        while (!w.rows.isEmpty()) {
            if (!node.running()) {
                flushWaiting(id);
                return;
            }
            AtomicInteger n = slots.inFlight(id);
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                // The node is full, perhaps of sends that are done and only writing their outcome
                // (their endpoint slots are already free): no send of this endpoint may be left to
                // start its line. The run loop does, once a send at the cap finishes and signals.
                stalledLines.add(id);
                if (inFlight.get() < maxInFlight) {
                    // the cap freed while we noted the line: its signal may have come before the note
                    node.signal();
                }
                return;
            }
            if (!EndpointSlots.tryTake(n, slots.limit(id))) {
                inFlight.decrementAndGet();
                return;
            }
            Waiter next = w.rows.poll();
            if (next == null) {
                // another thread took it: give the slot back and look again (a row added meanwhile
                // by a publisher whose own pump found this slot taken must not be left behind)
                n.decrementAndGet();
                inFlight.decrementAndGet();
                continue;
            }
            w.promised.decrementAndGet();
            waitingTotal.decrementAndGet();
            if (nanoTime.getAsLong() - next.since() > stale) {
                n.decrementAndGet();
                inFlight.decrementAndGet();
                node.releaseQuietly(List.of(next.claimed()));
                node.signal();
                continue;
            }
            try {
                node.start(next.claimed());
            } catch (RejectedExecutionException e) {
                n.decrementAndGet();
                inFlight.decrementAndGet();
                node.releaseQuietly(List.of(next.claimed()));
            }
        }
    }

    /**
     * Hands the endpoint's waiting rows to the queue, due now: after a failed attempt (the claim
     * then applies the endpoint's cooldown, which this node's copy of it does not show yet) and on
     * shutdown.
     */
    void flushWaiting(EndpointId id) {
        Waiting w = waiting.get(id);
        if (w == null) {
            return;
        }
        List<Claimed> out = new ArrayList<>();
        for (Waiter x; (x = w.rows.poll()) != null; ) {
            w.promised.decrementAndGet();
            waitingTotal.decrementAndGet();
            out.add(x.claimed());
        }
        if (!out.isEmpty()) {
            node.releaseQuietly(out);
            node.signal();
        }
    }

    /** Shutdown: every line's rows go back to the queue. */
    void flushAll() {
        for (EndpointId id : waiting.keySet()) {
            flushWaiting(id);
        }
    }
}
