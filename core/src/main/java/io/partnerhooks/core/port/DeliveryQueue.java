package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.model.HealthVerdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The durable queue of due deliveries. A claim leases rows for a while and stamps them with a
 * fresh token; a completion only counts when it carries the token of the current lease, so a node
 * that stalled past its lease cannot overwrite the work of the node that took over.
 */
public interface DeliveryQueue {
    /**
     * Rows one claim may take of a healthy, unordered endpoint per in-flight slot: one to send and
     * the rest to wait on the claiming node for a slot (ADR 8). Endpoints in cooldown or rate
     * limited get one row a claim; ordered ones one a slot.
     */
    int ROWS_PER_SLOT = 5;

    record Claimed(DeliveryId id, String leaseToken, int attemptsSoFar, Event event, Endpoint endpoint) {}

    /** What to do with a delivery after an attempt. */
    sealed interface Next {
        record Done() implements Next {}

        record RetryAt(Instant at) implements Next {}

        record GiveUp() implements Next {}
    }

    /** What an attempt says about its endpoint, applied in the same transaction as the attempt. */
    sealed interface EndpointReport {
        /** Leave the endpoint's health as it is. */
        record None() implements EndpointReport {}

        /** A success ends any failure streak and cooldown. */
        record Healthy() implements EndpointReport {}

        /** One more failure; the judge turns the streak (as counted by the database) into a verdict. */
        record Failed(FailureJudge judge) implements EndpointReport {}

        /** The endpoint asked to be switched off (410 Gone). */
        record Gone(String reason) implements EndpointReport {}
    }

    @FunctionalInterface
    interface FailureJudge {
        HealthVerdict judge(int consecutiveFailures, Instant failingSince, Instant now);
    }

    /** What a partner's "retry now" did. */
    enum RetryResult {
        QUEUED,
        NOT_FOUND,
        DELIVERED_ALREADY,
        IN_FLIGHT
    }

    /**
     * Leases up to {@code limit} deliveries due at {@code now} whose endpoint is enabled, not
     * waiting for a cooldown probe, and not in {@code excluded} (endpoints at this node's limits).
     */
    List<Claimed> claimDue(Instant now, int limit, Duration lease, Set<EndpointId> excluded);

    default List<Claimed> claimDue(Instant now, int limit, Duration lease) {
        return claimDue(now, limit, lease, Set.of());
    }

    /** Gives claimed rows back unattempted (held back by a limit), due at {@code dueAt}. */
    void release(List<Claimed> claimed, Instant dueAt);

    /**
     * Records the attempt, the delivery's next state and the endpoint's health in one transaction;
     * false (and nothing written) when the lease token no longer matches.
     */
    boolean complete(DeliveryId id, String leaseToken, Attempt attempt, Next next, EndpointReport report, Instant now);

    default boolean complete(DeliveryId id, String leaseToken, Attempt attempt, Next next, Instant now) {
        return complete(id, leaseToken, attempt, next, new EndpointReport.None(), now);
    }

    /** Makes a pending or failed delivery of this partner due now. */
    RetryResult retryNow(PartnerId partner, DeliveryId id, Instant now);

    /** What a partner's "resend" did; {@code id} is the new delivery when {@code result} is QUEUED. */
    record Resent(RetryResult result, DeliveryId id) {}

    /**
     * Resend: a new pending delivery (id {@code newId}, due now) of the same event to the same
     * endpoint, when the delivery {@code id} of this partner is delivered, failed or superseded. The old row
     * keeps its attempts; IN_FLIGHT answers a delivery still pending.
     */
    Resent resend(PartnerId partner, DeliveryId id, DeliveryId newId, Instant now);

    /** Re-queues the endpoint's failed deliveries created at or after {@code since}; how many. */
    int requeueFailed(PartnerId partner, EndpointId endpoint, Instant since, Instant now);

    /**
     * The queue as an operator watches it. {@code due} counts every pending delivery due now;
     * {@code held} those of them that wait for their endpoint rather than for a sender. {@code
     * oldestSendableAt} is when the longest-waiting of the rest became sendable (null when none is).
     */
    record Stats(
            long pending,
            long due,
            Instant oldestSendableAt,
            long endpointsInCooldown,
            long endpointsDisabled,
            Held held) {}

    /**
     * Due deliveries held back by their endpoint: in cooldown (all but the one probe once it is due),
     * disabled, or rate limited (the endpoint sets their pace).
     */
    record Held(long cooldown, long disabled, long rateLimited) {
        public static final Held NONE = new Held(0, 0, 0);
    }

    Stats stats(Instant now);

    /** When the earliest pending delivery not in {@code excluded} falls due: lets an idle dispatcher sleep exactly. */
    Optional<Instant> nextDueAt(Set<EndpointId> excluded);

    default Optional<Instant> nextDueAt() {
        return nextDueAt(Set.of());
    }
}
