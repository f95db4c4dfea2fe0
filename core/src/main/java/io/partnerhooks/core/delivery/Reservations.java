package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The dispatcher's publish-time side (ADR 8): slots, or places in an endpoint's waiting line,
 * reserved for deliveries about to be written, so that those rows are written leased to this node
 * and start right after their commit without a claim.
 */
final class Reservations implements FreshDeliveries {
    private final NodeSends node;
    private final EndpointSlots slots;
    private final WaitingLines lines;
    private final Clock clock;
    private final int maxInFlight;
    private final Duration lease;
    private final LongSupplier nanoTime;

    Reservations(
            NodeSends node,
            EndpointSlots slots,
            WaitingLines lines,
            Clock clock,
            int maxInFlight,
            Duration lease,
            LongSupplier nanoTime) {
        this.node = node;
        this.slots = slots;
        this.lines = lines;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.lease = lease;
        this.nanoTime = nanoTime;
    }

    /**
     * A slot for a delivery about to be written, on the publisher's thread: only for an endpoint
     * that needs no claim-time decision (not in cooldown, not rate limited) with a slot free on
     * this node. Fails closed: no slot means the row goes to the queue as before.
     */
    private boolean reserveSlot(Endpoint e) {
        if (!lines.fastPathFor(e)) {
            return false;
        }
        AtomicInteger inFlight = node.inFlight();
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return false;
        }
        int limit = EndpointSlots.limitOf(e);
        slots.noteLimit(e.id(), limit);
        lines.noteLine(e);
        if (!EndpointSlots.tryTake(slots.inFlight(e.id()), limit)) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public Reservation reserve(List<NewDelivery> deliveries, List<Endpoint> endpoints) {
        List<NewDelivery> out = new ArrayList<>(deliveries.size());
        List<Integer> held = new ArrayList<>();
        List<Integer> waits = new ArrayList<>();
        String token = null;
        Instant until = null;
        for (int i = 0; i < deliveries.size(); i++) {
            // An ordered delivery may have to wait behind an earlier one of its key, which only the
            // write can tell (under the key's lock): it always goes through the queue (ADR 11).
            boolean ordered = deliveries.get(i).orderingKey() != null;
            boolean slot = !ordered && reserveSlot(endpoints.get(i));
            if (slot || (!ordered && lines.reserveWait(endpoints.get(i)))) {
                if (token == null) {
                    token = UUID.randomUUID().toString();
                    until = clock.instant().plus(lease);
                }
                out.add(deliveries.get(i).leased(token, until));
                (slot ? held : waits).add(i);
            } else {
                out.add(deliveries.get(i));
            }
        }
        if (held.isEmpty() && waits.isEmpty()) {
            return FreshDeliveries.NONE.reserve(deliveries, endpoints);
        }
        return new Held(List.copyOf(out), List.copyOf(endpoints), held, waits, token);
    }

    /** Slots held for one event's leased rows. */
    private final class Held implements Reservation {
        private final List<NewDelivery> deliveries;
        private final List<Endpoint> endpoints;
        private final List<Integer> held;
        private final List<Integer> waits;
        private final String token;
        private boolean settled;

        Held(
                List<NewDelivery> deliveries,
                List<Endpoint> endpoints,
                List<Integer> held,
                List<Integer> waits,
                String token) {
            this.deliveries = deliveries;
            this.endpoints = endpoints;
            this.held = held;
            this.waits = waits;
            this.token = token;
        }

        @Override
        public List<NewDelivery> deliveries() {
            return deliveries;
        }

        @Override
        public synchronized void start(Event committed) {
            if (settled) {
                return;
            }
            settled = true;
            for (int i : held) {
                Claimed c = new Claimed(deliveries.get(i).id(), token, 0, committed, endpoints.get(i));
                try {
                    node.start(c);
                } catch (RejectedExecutionException e) {
                    // shutting down: hand the row back now rather than leave it to its lease
                    lines.freeEndpointSlot(c.endpoint().id());
                    node.inFlight().decrementAndGet();
                    node.releaseQuietly(List.of(c));
                }
            }
            long now = nanoTime.getAsLong();
            for (int i : waits) {
                EndpointId id = endpoints.get(i).id();
                lines.add(id, new Claimed(deliveries.get(i).id(), token, 0, committed, endpoints.get(i)), now);
                // a slot may have come free between the reservation and now: nobody else would look
                lines.pump(id);
            }
        }

        @Override
        public synchronized void cancel() {
            if (settled) {
                return;
            }
            settled = true;
            for (int i : held) {
                lines.freeEndpointSlot(endpoints.get(i).id());
                node.inFlight().decrementAndGet();
            }
            for (int i : waits) {
                lines.unpromise(endpoints.get(i).id());
            }
            node.signal();
        }
    }
}
