package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue of due deliveries. A claim leases rows for a while and stamps them with a
 * fresh token; a completion only counts when it carries the token of the current lease, so a node
 * that stalled past its lease cannot overwrite the work of the node that took over.
 */
public interface DeliveryQueue {
    record Claimed(DeliveryId id, String leaseToken, int attemptsSoFar, Event event, Endpoint endpoint) {}

    /** What to do with a delivery after an attempt. */
    sealed interface Next {
        record Done() implements Next {}

        record RetryAt(Instant at) implements Next {}

        record GiveUp() implements Next {}
    }

    /** Leases up to {@code limit} deliveries due at {@code now} whose endpoint is enabled. */
    List<Claimed> claimDue(Instant now, int limit, Duration lease);

    /**
     * Records the attempt and the delivery's next state in one transaction; false (and nothing
     * written) when the lease token no longer matches.
     */
    boolean complete(DeliveryId id, String leaseToken, Attempt attempt, Next next, Instant now);

    /** When the earliest pending delivery falls due, if any: lets an idle dispatcher sleep exactly. */
    Optional<Instant> nextDueAt();
}
