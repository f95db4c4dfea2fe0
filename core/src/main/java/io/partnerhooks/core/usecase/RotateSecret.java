package io.partnerhooks.core.usecase;

import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * A new signing secret; the old one keeps signing beside it for the overlap, so receivers can
 * switch at their own pace without rejecting a single delivery.
 */
public final class RotateSecret {
    public static final int DEFAULT_OVERLAP_HOURS = 24;
    public static final int MAX_OVERLAP_HOURS = 24 * 7;

    private final EndpointStore endpoints;
    private final Clock clock;
    private final RandomGenerator random;

    public RotateSecret(EndpointStore endpoints, Clock clock, RandomGenerator random) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.random = random;
    }

    public Endpoint rotate(PartnerId partner, EndpointId id, Integer overlapHours) {
        int hours = overlapHours == null ? DEFAULT_OVERLAP_HOURS : overlapHours;
        if (hours < 0 || hours > MAX_OVERLAP_HOURS) {
            throw new InvalidInputException("overlap_hours", "must be from 0 to " + MAX_OVERLAP_HOURS);
        }
        Endpoint old = endpoints.find(partner, id).orElseThrow(() -> new NotFoundException("id", "no endpoint " + id));
        Instant now = Times.millis(clock.instant());
        String fresh = Signer.newSecret(random);
        String previous = hours == 0 ? null : old.secret();
        Instant until = hours == 0 ? null : now.plus(Duration.ofHours(hours));
        if (!endpoints.rotateSecret(partner, id, fresh, previous, until, now)) {
            throw new NotFoundException("id", "no endpoint " + id);
        }
        return old.withSecrets(fresh, previous, until, now);
    }
}
