package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.model.HealthVerdict;
import io.partnerhooks.core.port.DeliveryQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointHealthPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    final RetryPolicy retry = RetryPolicy.defaults();
    final EndpointHealthPolicy policy = new EndpointHealthPolicy(5, retry);

    @Test
    void belowTheThresholdNothingHappens() {
        for (int n = 1; n < 5; n++) {
            assertThat(policy.afterFailure(n, T0, T0.plusSeconds(n), 0.5)).isEqualTo(new HealthVerdict(null, null));
        }
    }

    @Test
    void fromTheThresholdOnEachFailureWaitsTheNextScheduledDelayBeforeTheNextProbe() {
        Instant now = T0.plusSeconds(100);
        assertThat(policy.afterFailure(5, T0, now, 0.5).probeAfter()).isEqualTo(now.plusSeconds(5));
        assertThat(policy.afterFailure(6, T0, now, 0.5).probeAfter()).isEqualTo(now.plusSeconds(30));
        assertThat(policy.afterFailure(8, T0, now, 0.5).probeAfter()).isEqualTo(now.plus(Duration.ofMinutes(10)));
        assertThat(policy.afterFailure(40, T0, now, 0.5).probeAfter()).isEqualTo(now.plus(Duration.ofHours(8)));
        // jitter applies as it does to retries
        assertThat(policy.afterFailure(5, T0, now, 0.0).probeAfter()).isEqualTo(now.plusSeconds(4));
    }

    @Test
    void failingForTheWholeHorizonDisablesWithAReason() {
        HealthVerdict v = policy.afterFailure(12, T0, T0.plus(Duration.ofHours(24)), 0.5);
        assertThat(v.probeAfter()).isNull();
        assertThat(v.disableReason())
                .contains("failing continuously since 2026-11-22T00:00:00Z")
                .contains("24 h");
        assertThat(policy.afterFailure(12, T0, T0.plus(Duration.ofHours(24)).minusMillis(1), 0.5)
                        .disableReason())
                .isNull();
    }

    @Test
    void theThresholdMustBePositive() {
        assertThatThrownBy(() -> new EndpointHealthPolicy(0, retry)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryAfterIsClampedBetweenTheScheduleAndTwiceIt() {
        Instant event = T0;
        Instant now = T0.plusSeconds(1);
        assertThat(next(503, Optional.of(Duration.ofSeconds(20)), 1, event, now))
                .isEqualTo(now.plusSeconds(10));
        assertThat(next(503, Optional.of(Duration.ofSeconds(7)), 1, event, now)).isEqualTo(now.plusSeconds(7));
        assertThat(next(503, Optional.of(Duration.ofSeconds(1)), 1, event, now)).isEqualTo(now.plusSeconds(5));
        assertThat(next(503, Optional.empty(), 1, event, now)).isEqualTo(now.plusSeconds(5));
        // a Retry-After on another status is ignored
        assertThat(next(500, Optional.of(Duration.ofSeconds(9)), 1, event, now)).isEqualTo(now.plusSeconds(5));
        // 429: never sooner than 60 s, whatever was asked or scheduled
        assertThat(next(429, Optional.of(Duration.ofSeconds(1)), 1, event, now)).isEqualTo(now.plusSeconds(60));
        assertThat(next(429, Optional.empty(), 2, event, now)).isEqualTo(now.plusSeconds(60));
        assertThat(next(429, Optional.of(Duration.ofMinutes(3)), 3, event, now))
                .isEqualTo(now.plus(Duration.ofMinutes(3)));
    }

    @Test
    void gone410GivesUpAtOnce() {
        var outcome = new DeliveryOutcome.Rejected(410, "bye", Optional.empty());
        assertThat(retry.decide(1, outcome, T0, T0, 0.5)).isInstanceOf(DeliveryQueue.Next.GiveUp.class);
    }

    private Instant next(int status, Optional<Duration> retryAfter, int attempt, Instant event, Instant now) {
        var decision = retry.decide(attempt, new DeliveryOutcome.Rejected(status, "", retryAfter), event, now, 0.5);
        assertThat(decision).isInstanceOf(DeliveryQueue.Next.RetryAt.class);
        return ((DeliveryQueue.Next.RetryAt) decision).at();
    }

    @Test
    void scheduleIsUnchanged() {
        assertThat(retry.schedule()).hasSize(10).isEqualTo(List.copyOf(RetryPolicy.DEFAULT_SCHEDULE));
    }
}
