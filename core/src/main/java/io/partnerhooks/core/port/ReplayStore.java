package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.id.ReplayId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Replays and the events they select. The selection is made by the database, the same way when a
 * replay is counted and when it is queued: the endpoint's partner's events created in
 * [{@code since}, {@code until}), not test sends, that the endpoint's fan-out would have sent it
 * (its event-type patterns; for a number's messaging webhook, that number's relays), narrowed to
 * {@code eventTypes} when given, and by {@code which}.
 */
public interface ReplayStore {
    record Selection(Endpoint endpoint, Replay.Which which, Instant since, Instant until, List<String> eventTypes) {}

    /** How many events the selection holds, counting at most {@code max + 1} (so "more than max" is seen). */
    long count(Selection s, long max);

    /** Stores a new replay (state queued, nothing queued yet). */
    void insert(Replay r);

    /** With its delivery counts; empty when it is not this partner's. */
    Optional<Replay> find(PartnerId partner, ReplayId id);

    /** Newest first; {@code endpoint} null for all of the partner's. */
    Page<Replay> list(PartnerId partner, EndpointId endpoint, int limit, String afterCursor);

    /** A replay leased to one worker: its selection is rebuilt from the row and the endpoint. */
    record Claimed(Replay replay, String leaseToken, String cursor, boolean exhausted) {}

    /**
     * Leases the oldest unfinished replay whose lease (or wait) has run out to {@code token} until
     * {@code leaseUntil}, marking it running; empty when there is none. Two workers never hold the
     * same replay at once.
     */
    Optional<Claimed> claim(String token, Instant now, Instant leaseUntil);

    /** Pending deliveries of the endpoint, counting at most {@code max}: how long its queue is. */
    int backlog(EndpointId endpoint, int max);

    /** What one batch did: how many deliveries it made, where the walk stands, whether it reached the end. */
    record Batch(int queued, String cursor, boolean exhausted) {}

    /**
     * In one transaction: the next {@code limit} selected events after {@code cursor} (null: from
     * the start) get a new delivery each, due {@code now}, marked as this replay's; the replay's
     * cursor and count move on and its lease is extended to {@code leaseUntil}. Empty, and nothing
     * written, when the lease is no longer {@code token}'s.
     */
    Optional<Batch> queueBatch(
            Claimed c, Selection s, int limit, Supplier<DeliveryId> ids, Instant now, Instant leaseUntil);

    /** Gives the lease up; the replay is not claimed again before {@code notBefore}. False when it was not held. */
    boolean release(ReplayId id, String token, Instant notBefore, Instant now);

    /** Ends a held replay as completed or cancelled. False when it was not held. */
    boolean finish(ReplayId id, String token, Replay.State state, Instant now);
}
