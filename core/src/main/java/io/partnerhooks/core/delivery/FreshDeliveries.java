package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.port.EventStore.NewDelivery;
import java.util.List;

/**
 * The fast path for deliveries that are about to be written (ADR 8): before the commit, the
 * publishing node reserves send slots on itself for some of them and writes those rows already
 * leased to itself; after the commit it sends them at once, with no claim. Rows that got no slot
 * are written due now and go through the queue as before, as do retries and a crashed node's rows.
 */
public interface FreshDeliveries {
    /** Reserves slots for the deliveries (to the endpoints given, in the same order). */
    Reservation reserve(List<NewDelivery> deliveries, List<Endpoint> endpoints);

    /** Slots held for one event's deliveries until it is committed (then {@link #start}) or not ({@link #cancel}). */
    interface Reservation {
        /** The deliveries to write: those with a slot carry this node's lease. */
        List<NewDelivery> deliveries();

        /** The event is committed (with its sequence number): send the reserved deliveries now. */
        void start(Event committed);

        /** Nothing was written (an idempotent repeat, a failure): give the slots back. */
        void cancel();
    }

    /** No fast path: every row is written due now (tests and tools without a dispatcher). */
    FreshDeliveries NONE = (deliveries, endpoints) -> new Reservation() {
        @Override
        public List<NewDelivery> deliveries() {
            return deliveries;
        }

        @Override
        public void start(Event committed) {}

        @Override
        public void cancel() {}
    };
}
