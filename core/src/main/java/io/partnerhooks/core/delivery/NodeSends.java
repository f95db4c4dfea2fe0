package io.partnerhooks.core.delivery;

import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the waiting lines and the publish-time reservations need from the {@link Dispatcher} that
 * owns this node's sends: their count against the node's cap, the senders, the way back to the
 * queue and the run loop's signal.
 */
interface NodeSends {
    /** False once a shutdown has begun. */
    boolean running();

    /** The node's sends, counted against its cap ({@code DELIVERY_CONCURRENCY}) until their outcome is written. */
    AtomicInteger inFlight();

    /** Sends the row on its own virtual thread; throws {@link java.util.concurrent.RejectedExecutionException} once shutting down. */
    void start(Claimed c);

    /** Hands rows back to the queue, due now; a failure is logged (their leases then expire). */
    void releaseQuietly(List<Claimed> cs);

    /** Wakes the run loop (a slot or the node's cap may have freed). */
    void signal();
}
