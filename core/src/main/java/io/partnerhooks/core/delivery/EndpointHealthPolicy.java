package io.partnerhooks.core.delivery;

import io.partnerhooks.core.model.HealthVerdict;
import java.time.Duration;
import java.time.Instant;

/**
 * What a failure means for the endpoint as a whole, given its streak as the database counted it
 * (so that concurrent completions on several nodes agree). Pure: no clock, no randomness of its own.
 *
 * <p>From the {@code threshold}-th consecutive failure on, the endpoint is in cooldown: one probe
 * at a time, the next no sooner than the retry schedule's delay for the streak's length past the
 * threshold. An endpoint failing for the whole horizon is disabled.
 */
public final class EndpointHealthPolicy {
    public static final int DEFAULT_THRESHOLD = 5;

    private final int threshold;
    private final RetryPolicy retry;

    public EndpointHealthPolicy(int threshold, RetryPolicy retry) {
        if (threshold < 1) {
            throw new IllegalArgumentException("cooldown threshold must be at least 1");
        }
        this.threshold = threshold;
        this.retry = retry;
    }

    public int threshold() {
        return threshold;
    }

    public HealthVerdict afterFailure(int consecutiveFailures, Instant failingSince, Instant now, double random) {
        if (failingSince != null && !now.isBefore(failingSince.plus(retry.horizon()))) {
            return new HealthVerdict(
                    null,
                    "failing continuously since " + failingSince + " (" + consecutiveFailures + " attempts over "
                            + describe(retry.horizon()) + ")");
        }
        if (consecutiveFailures < threshold) {
            return new HealthVerdict(null, null);
        }
        return new HealthVerdict(now.plus(retry.delayAfter(consecutiveFailures - threshold + 1, random)), null);
    }

    public static String goneReason(int status) {
        return "the endpoint answered " + status + " Gone";
    }

    private static String describe(Duration d) {
        return d.toHours() > 0 && d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
    }
}
