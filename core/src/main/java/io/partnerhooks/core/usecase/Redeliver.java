package io.partnerhooks.core.usecase;

import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.RetryResult;
import io.partnerhooks.core.port.EndpointStore;
import java.time.Clock;
import java.time.Instant;

/** The partner's manual levers: retry one delivery now, or re-queue an endpoint's failures since a time. */
public final class Redeliver {
    /** Why a retry could not be queued (maps to 409). */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    private final DeliveryQueue queue;
    private final EndpointStore endpoints;
    private final Clock clock;
    private final Runnable wake;

    private final IdGenerator ids;

    public Redeliver(DeliveryQueue queue, EndpointStore endpoints, Clock clock, Runnable wake, IdGenerator ids) {
        this.ids = ids;
        this.queue = queue;
        this.endpoints = endpoints;
        this.clock = clock;
        this.wake = wake;
    }

    public void retry(PartnerId partner, String rawId) {
        if (!Ids.looksLike(rawId, Ids.DELIVERY)) {
            throw new NotFoundException("id", "no delivery " + rawId);
        }
        RetryResult r = queue.retryNow(partner, new DeliveryId(rawId), clock.instant());
        switch (r) {
            case QUEUED -> wake.run();
            case NOT_FOUND -> throw new NotFoundException("id", "no delivery " + rawId);
            case DELIVERED_ALREADY -> throw new ConflictException("delivery " + rawId + " was delivered already");
            case IN_FLIGHT -> throw new ConflictException("an attempt of delivery " + rawId + " is in flight now");
        }
    }

    /**
     * Sends a delivered, failed or superseded delivery again as a new delivery of the same event to the same
     * endpoint (so the same {@code webhook-id}, like a retry); returns the new delivery's id.
     */
    public DeliveryId resend(PartnerId partner, String rawId) {
        if (!Ids.looksLike(rawId, Ids.DELIVERY)) {
            throw new NotFoundException("id", "no delivery " + rawId);
        }
        DeliveryQueue.Resent r =
                queue.resend(partner, new DeliveryId(rawId), new DeliveryId(ids.next(Ids.DELIVERY)), clock.instant());
        switch (r.result()) {
            case QUEUED -> wake.run();
            case NOT_FOUND -> throw new NotFoundException("id", "no delivery " + rawId);
            case DELIVERED_ALREADY, IN_FLIGHT ->
                throw new ConflictException("delivery " + rawId
                        + " is still pending: retry it instead, or resend it once it is delivered or failed");
        }
        return r.id();
    }

    public int recover(PartnerId partner, EndpointId endpoint, Instant since) {
        if (since == null) {
            throw new InvalidInputException("since", "is required (RFC 3339 time)");
        }
        if (since.isAfter(clock.instant())) {
            throw new InvalidInputException("since", "must not be in the future");
        }
        if (endpoints.find(partner, endpoint).isEmpty()) {
            throw new NotFoundException("id", "no endpoint " + endpoint);
        }
        int n = queue.requeueFailed(partner, endpoint, since, clock.instant());
        if (n > 0) {
            wake.run();
        }
        return n;
    }
}
