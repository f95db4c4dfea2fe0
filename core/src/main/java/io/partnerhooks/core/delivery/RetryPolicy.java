package io.partnerhooks.core.delivery;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When to try again. A pure function of (attempt number, outcome, event time, now, a random value
 * in [0,1)): no clock and no randomness of its own, so every branch is tested exactly.
 *
 * <p>After attempt n (1-based) the next one waits {@code schedule[n-1]} scaled by a jitter factor
 * in [1 - jitter, 1 + jitter); once the schedule is used up the last delay repeats. A retry that
 * would fall after {@code eventTime + horizon} is not made: the delivery fails for good (it stays
 * replayable).
 */
public final class RetryPolicy {
    public static final List<Duration> DEFAULT_SCHEDULE = List.of(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(6),
            Duration.ofHours(8));
    public static final Duration DEFAULT_HORIZON = Duration.ofHours(24);
    public static final double DEFAULT_JITTER = 0.20;

    private final List<Duration> schedule;
    private final Duration horizon;
    private final double jitter;

    public RetryPolicy(List<Duration> schedule, Duration horizon, double jitter) {
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("retry schedule must have at least one delay");
        }
        for (Duration d : schedule) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive: " + d);
            }
        }
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("retry horizon must be positive: " + horizon);
        }
        if (!(jitter >= 0 && jitter < 1)) { // also refuses NaN
            throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
        }
        this.schedule = List.copyOf(schedule);
        this.horizon = horizon;
        this.jitter = jitter;
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_SCHEDULE, DEFAULT_HORIZON, DEFAULT_JITTER);
    }

    public List<Duration> schedule() {
        return schedule;
    }

    public Duration horizon() {
        return horizon;
    }

    public Next decide(int attemptNumber, DeliveryOutcome outcome, Instant eventTime, Instant now, double random) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> new Next.Done();
            case DeliveryOutcome.Rejected r when r.status() == 410 -> new Next.GiveUp();
            case DeliveryOutcome.Rejected r ->
                retryOrGiveUp(eventTime, now, delayAfterRejection(attemptNumber, r, random));
            case DeliveryOutcome.TransportError t -> retryOrGiveUp(attemptNumber, eventTime, now, random);
            case DeliveryOutcome.Blocked b -> retryOrGiveUp(attemptNumber, eventTime, now, random);
            case DeliveryOutcome.TimedOut t -> retryOrGiveUp(attemptNumber, eventTime, now, random);
        };
    }

    /** The delay after attempt {@code attemptNumber}, jitter applied. */
    public Duration delayAfter(int attemptNumber, double random) {
        Duration base = schedule.get(Math.min(Math.max(attemptNumber, 1), schedule.size()) - 1);
        double factor = 1 - jitter + 2 * jitter * random;
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    /** After a 429 no retry comes sooner than this, whatever the schedule says. */
    public static final Duration MIN_DELAY_AFTER_429 = Duration.ofSeconds(60);

    /**
     * A 429 or 503 may say when to come back (Retry-After). We honour it within [scheduled, 2 x
     * scheduled]: a receiver cannot make us hammer it, nor park a delivery for days.
     */
    Duration delayAfterRejection(int attemptNumber, DeliveryOutcome.Rejected r, double random) {
        Duration scheduled = delayAfter(attemptNumber, random);
        Duration delay = scheduled;
        if ((r.status() == 429 || r.status() == 503) && r.retryAfter().isPresent()) {
            Duration asked = r.retryAfter().get();
            Duration max = scheduled.multipliedBy(2);
            delay = asked.compareTo(scheduled) < 0 ? scheduled : asked.compareTo(max) > 0 ? max : asked;
        }
        if (r.status() == 429 && delay.compareTo(MIN_DELAY_AFTER_429) < 0) {
            delay = MIN_DELAY_AFTER_429;
        }
        return delay;
    }

    private Next retryOrGiveUp(int attemptNumber, Instant eventTime, Instant now, double random) {
        return retryOrGiveUp(eventTime, now, delayAfter(attemptNumber, random));
    }

    private Next retryOrGiveUp(Instant eventTime, Instant now, Duration delay) {
        Instant at = now.plus(delay);
        if (at.isAfter(eventTime.plus(horizon))) {
            return new Next.GiveUp();
        }
        return new Next.RetryAt(at);
    }
}
