package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The dispatcher's per-endpoint send slots on this node: sends in flight, the limit last seen,
 * the pacing of rate-limited endpoints, and which endpoints a claim must leave out for now.
 * Publishers (reservations), the claim loop and finishing sends all take and give back slots here
 * concurrently, so a slot is only ever taken with a compare-and-set under the limit.
 */
final class EndpointSlots {
    /** Assumed free slots of endpoints this node has not seen yet (the default per-endpoint limit). */
    static final int UNSEEN_ENDPOINT_SLOTS = 10;

    /** This node's sends in flight per endpoint, and the limit last seen for it (1 in cooldown). */
    private final ConcurrentHashMap<EndpointId, AtomicInteger> inFlightByEndpoint = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<EndpointId, Integer> limitByEndpoint = new ConcurrentHashMap<>();
    /** Rate-limited endpoints: the {@code nanoTime} reading before which the next send must not start. */
    private final ConcurrentHashMap<EndpointId, Long> nextSendNanos = new ConcurrentHashMap<>();

    private final LongSupplier nanoTime;

    EndpointSlots(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The endpoint's counter of sends in flight on this node (created at 0). */
    AtomicInteger inFlight(EndpointId id) {
        return inFlightByEndpoint.computeIfAbsent(id, k -> new AtomicInteger());
    }

    /** The endpoint's limit as last seen ({@value #UNSEEN_ENDPOINT_SLOTS} when never seen). */
    int limit(EndpointId id) {
        return limitByEndpoint.getOrDefault(id, UNSEEN_ENDPOINT_SLOTS);
    }

    void noteLimit(EndpointId id, int limit) {
        limitByEndpoint.put(id, limit);
    }

    /** Gives back one of the endpoint's slots (the caller then starts its line). */
    void free(EndpointId id) {
        AtomicInteger n = inFlightByEndpoint.get(id);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    /**
     * Endpoints this node must not claim for now: at their in-flight limit (one probe in cooldown)
     * or waiting for their rate limit. A hanging endpoint thus cannot fill a claim batch and starve
     * the others.
     */
    Set<EndpointId> saturated(WaitingLines lines) {
        Set<EndpointId> out = new HashSet<>();
        inFlightByEndpoint.forEach((id, n) -> {
            // a slot about to be taken by a row waiting on the node is not free for a claim
            if (n.get() + lines.lined(id) >= limitByEndpoint.getOrDefault(id, Integer.MAX_VALUE)
                    && lines.lineRoom(id) <= 0) {
                out.add(id);
            }
        });
        long now = nanoTime.getAsLong();
        nextSendNanos.forEach((id, t) -> {
            if (t - now > 0) {
                out.add(id);
            }
        });
        return out;
    }

    boolean anyAtInFlightLimit() {
        for (var e : inFlightByEndpoint.entrySet()) {
            if (e.getValue().get() >= limitByEndpoint.getOrDefault(e.getKey(), Integer.MAX_VALUE)) {
                return true;
            }
        }
        return false;
    }

    /** Free slots of endpoints seen before and not excluded now (endpoints never seen count {@value #UNSEEN_ENDPOINT_SLOTS} each when new work arrives). */
    long knownFreeSlots(Set<EndpointId> saturated, WaitingLines lines) {
        long sum = 0;
        for (var e : inFlightByEndpoint.entrySet()) {
            if (!saturated.contains(e.getKey())) {
                sum += Math.max(
                        0,
                        limitByEndpoint.getOrDefault(e.getKey(), UNSEEN_ENDPOINT_SLOTS)
                                - e.getValue().get()
                                - lines.lined(e.getKey()));
                sum += lines.lineRoom(e.getKey());
            }
        }
        return sum;
    }

    /**
     * The slot part of admitting a claimed row (after its limit was noted): a slot under the
     * limit, and for a rate-limited endpoint only once its pacing allows the next send.
     */
    boolean admit(Claimed c, int limit) {
        EndpointId id = c.endpoint().id();
        AtomicInteger n = inFlightByEndpoint.computeIfAbsent(id, k -> new AtomicInteger());
        if (n.get() >= limit) {
            return false;
        }
        Integer rate = c.endpoint().limits().ratePerSecond();
        if (rate == null || rate <= 0) {
            nextSendNanos.remove(id);
            // publishers reserve slots concurrently (reserve), so take one atomically
            return tryTake(n, limit);
        }
        long now = nanoTime.getAsLong();
        Long next = nextSendNanos.get(id);
        if (next != null && next - now > 0) {
            return false;
        }
        if (!tryTake(n, limit)) {
            return false;
        }
        nextSendNanos.put(id, now + 1_000_000_000L / rate);
        return true;
    }

    /** The idle wait, shortened to the next send a rate-limited endpoint may make. */
    long untilNextSend(long waitMs) {
        long now = nanoTime.getAsLong();
        for (Long t : nextSendNanos.values()) {
            if (t - now > 0) {
                waitMs = Math.min(waitMs, Math.max(1, (t - now) / 1_000_000));
            }
        }
        return waitMs;
    }

    static boolean tryTake(AtomicInteger n, int limit) {
        while (true) {
            int v = n.get();
            if (v >= limit) {
                return false;
            }
            if (n.compareAndSet(v, v + 1)) {
                return true;
            }
        }
    }

    static int limitOf(Endpoint e) {
        return e.health().inCooldown() ? 1 : Math.max(1, e.limits().maxInFlight());
    }
}
