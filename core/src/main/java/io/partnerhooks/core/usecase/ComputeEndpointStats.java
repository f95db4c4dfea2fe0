package io.partnerhooks.core.usecase;

import io.partnerhooks.core.delivery.AttemptStatistics;
import io.partnerhooks.core.domain.AttemptSample;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * An endpoint's attempts over a recent window and what they add up to (success rate, latency
 * percentiles, failures by class): the figures of {@code GET /v1/endpoints/{id}/stats} and of the
 * dashboard's endpoint pages, computed here for both.
 */
public final class ComputeEndpointStats {
    /** Most attempts a window reads; beyond it the figures describe the newest ones. */
    public static final int SAMPLE = 100_000;

    /** The figures, the attempts they were computed from (newest first), and whether the window held more than {@link #SAMPLE}. */
    public record Stats(AttemptStatistics figures, List<AttemptSample> samples, boolean sampled) {}

    private final EventStore events;
    private final Clock clock;

    public ComputeEndpointStats(EventStore events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The window named on the wire: 1h, 24h or 7d. */
    public static Duration window(String wire) {
        return switch (wire) {
            case "1h" -> Duration.ofHours(1);
            case "24h" -> Duration.ofHours(24);
            case "7d" -> Duration.ofDays(7);
            default -> throw new InvalidInputException("window", "must be 1h, 24h or 7d");
        };
    }

    /** The partner's endpoint's attempts in the {@code window} up to now (the caller has checked the endpoint is the partner's). */
    public Stats of(PartnerId partner, EndpointId endpoint, Duration window) {
        List<AttemptSample> samples =
                events.attemptsSince(partner, endpoint, clock.instant().minus(window), SAMPLE);
        return new Stats(AttemptStatistics.of(samples), samples, samples.size() == SAMPLE);
    }
}
