package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    /** random = 0.5 puts the jitter factor exactly at 1, so delays are the schedule itself. */
    private static final double NO_JITTER = 0.5;

    private static final Instant EVENT = Instant.parse("2024-05-01T12:00:00Z");

    private final RetryPolicy policy = RetryPolicy.defaults();

    private static final DeliveryOutcome FAILED = new DeliveryOutcome.TransportError("connect", "connection refused");

    @Test
    void defaultsAreTheDocumentedScheduleHorizonAndJitter() {
        assertThat(policy.schedule())
                .containsExactly(
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
        assertThat(policy.horizon()).isEqualTo(Duration.ofHours(24));
        assertThat(RetryPolicy.DEFAULT_JITTER).isEqualTo(0.20);
    }

    @ParameterizedTest(name = "after attempt {0}: {1}")
    @CsvSource({
        "1, PT5S", "2, PT30S", "3, PT2M", "4, PT10M", "5, PT30M",
        "6, PT1H", "7, PT2H", "8, PT4H", "9, PT6H", "10, PT8H"
    })
    void eachScheduledDelayWithoutJitter(int attempt, Duration expected) {
        assertThat(policy.delayAfter(attempt, NO_JITTER)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 12, 50, Integer.MAX_VALUE})
    void theLastDelayRepeatsOnceTheScheduleIsUsedUp(int attempt) {
        assertThat(policy.delayAfter(attempt, NO_JITTER)).isEqualTo(Duration.ofHours(8));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void attemptNumbersBelowOneUseTheFirstDelay(int attempt) {
        assertThat(policy.delayAfter(attempt, NO_JITTER)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void randomZeroGivesTheLowerJitterBound() {
        assertThat(policy.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(4_000));
        assertThat(policy.delayAfter(4, 0.0)).isEqualTo(Duration.ofMillis(480_000));
        assertThat(policy.delayAfter(10, 0.0))
                .isEqualTo(Duration.ofHours(8).multipliedBy(8).dividedBy(10));
    }

    @Test
    void randomNearOneStaysJustUnderTheUpperJitterBound() {
        Duration eightHours = Duration.ofHours(8);
        Duration upper = eightHours.multipliedBy(12).dividedBy(10);

        Duration delay = policy.delayAfter(10, 0.999);

        assertThat(delay).isLessThan(upper).isGreaterThan(upper.minusMinutes(1));
        assertThat(delay).isEqualTo(Duration.ofMillis(Math.round(eightHours.toMillis() * (0.8 + 0.4 * 0.999))));
    }

    // Rounding to whole milliseconds means the very top of [0,1) lands on 1.2 x exactly; never above.
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 10})
    void randomNeverPushesTheDelayAboveTheUpperBound(int attempt) {
        Duration base = policy.schedule().get(attempt - 1);
        Duration delay = policy.delayAfter(attempt, Math.nextDown(1.0));

        assertThat(delay).isLessThanOrEqualTo(base.multipliedBy(12).dividedBy(10));
        assertThat(delay).isGreaterThan(base.multipliedBy(119).dividedBy(100));
    }

    @Test
    void jitterIsLinearInTheRandomValue() {
        assertThat(policy.delayAfter(2, 0.25)).isEqualTo(Duration.ofSeconds(27));
        assertThat(policy.delayAfter(2, 0.75)).isEqualTo(Duration.ofSeconds(33));
    }

    @Test
    void zeroJitterIgnoresTheRandomValue() {
        RetryPolicy exact = new RetryPolicy(List.of(Duration.ofSeconds(10)), Duration.ofHours(1), 0.0);

        assertThat(exact.delayAfter(1, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(exact.delayAfter(1, Math.nextDown(1.0))).isEqualTo(Duration.ofSeconds(10));
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new DeliveryOutcome.Rejected(500, "oops", Optional.empty())),
                Arguments.of(new DeliveryOutcome.Rejected(302, "", Optional.empty())),
                Arguments.of(new DeliveryOutcome.Rejected(429, "", Optional.of(Duration.ofSeconds(1)))),
                Arguments.of(new DeliveryOutcome.TransportError("reset", "connection reset")),
                Arguments.of(new DeliveryOutcome.Blocked("loopback address 127.0.0.1")),
                Arguments.of(new DeliveryOutcome.TimedOut("read timed out")));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void everyFailureIsRetriedAtNowPlusTheDelay(DeliveryOutcome outcome) {
        Instant now = EVENT.plusSeconds(2);

        Next next = policy.decide(3, outcome, EVENT, now, NO_JITTER);

        assertThat(next).isEqualTo(new Next.RetryAt(now.plus(Duration.ofMinutes(2))));
    }

    @Test
    void theRetryTimeCarriesTheJitter() {
        Instant now = EVENT.plusSeconds(1);

        assertThat(policy.decide(1, FAILED, EVENT, now, 0.0)).isEqualTo(new Next.RetryAt(now.plusMillis(4_000)));
    }

    @Test
    void deliveredIsDone() {
        Next next = policy.decide(1, new DeliveryOutcome.Delivered(200, "ok"), EVENT, EVENT, NO_JITTER);

        assertThat(next).isEqualTo(new Next.Done());
    }

    @Test
    void deliveredIsDoneEvenPastTheHorizon() {
        Instant late = EVENT.plus(Duration.ofDays(3));

        assertThat(policy.decide(40, new DeliveryOutcome.Delivered(204, ""), EVENT, late, NO_JITTER))
                .isEqualTo(new Next.Done());
    }

    @Test
    void aRetryLandingExactlyOnTheHorizonIsStillMade() {
        Instant now = EVENT.plus(Duration.ofHours(24)).minusSeconds(5);

        assertThat(policy.decide(1, FAILED, EVENT, now, NO_JITTER))
                .isEqualTo(new Next.RetryAt(EVENT.plus(Duration.ofHours(24))));
    }

    @Test
    void aRetryLandingOneMillisecondAfterTheHorizonIsNotMade() {
        Instant now = EVENT.plus(Duration.ofHours(24)).minusSeconds(5).plusMillis(1);

        assertThat(policy.decide(1, FAILED, EVENT, now, NO_JITTER)).isEqualTo(new Next.GiveUp());
    }

    @Test
    void jitterAloneCanDecideBetweenRetryAndGiveUpNearTheHorizon() {
        Instant now = EVENT.plus(Duration.ofHours(24)).minusSeconds(5);

        assertThat(policy.decide(1, FAILED, EVENT, now, 0.0)).isEqualTo(new Next.RetryAt(now.plusSeconds(4)));
        assertThat(policy.decide(1, FAILED, EVENT, now, 0.75)).isEqualTo(new Next.GiveUp());
    }

    @Test
    void theHorizonCountsFromTheEventNotFromTheFirstAttempt() {
        // The event waited in the queue for 23h59m before its first attempt.
        Instant firstAttempt = EVENT.plus(Duration.ofHours(23).plusMinutes(59));

        assertThat(policy.decide(1, FAILED, EVENT, firstAttempt, NO_JITTER))
                .isEqualTo(new Next.RetryAt(firstAttempt.plusSeconds(5)));
        assertThat(policy.decide(3, FAILED, EVENT, firstAttempt, NO_JITTER)).isEqualTo(new Next.GiveUp());
    }

    @Test
    void withoutJitterTheDefaultScheduleMakesElevenAttemptsThenGivesUp() {
        List<Instant> attempts = runUntilGiveUp(NO_JITTER);

        assertThat(attempts)
                .containsExactly(
                        EVENT,
                        EVENT.plusSeconds(5),
                        EVENT.plusSeconds(35),
                        EVENT.plusSeconds(155),
                        EVENT.plusSeconds(755),
                        EVENT.plusSeconds(2_555),
                        EVENT.plusSeconds(6_155),
                        EVENT.plusSeconds(13_355),
                        EVENT.plusSeconds(27_755),
                        EVENT.plusSeconds(49_355),
                        // 21h42m35s: the schedule is used up, and one more 8h wait would pass 24h.
                        EVENT.plusSeconds(78_155));
    }

    @Test
    void withTheShortestJitterTwelveAttemptsFitInTheHorizon() {
        List<Instant> attempts = runUntilGiveUp(0.0);

        assertThat(attempts).hasSize(12);
        // 0.8 x (21h42m35s + 8h) = 23h46m04s; another 6h24m would pass 24h.
        assertThat(attempts.get(11)).isEqualTo(EVENT.plusSeconds(85_564));
    }

    /** Attempt times, each made exactly when the previous decision said, the first at the event. */
    private List<Instant> runUntilGiveUp(double random) {
        List<Instant> times = new ArrayList<>();
        Instant now = EVENT;
        for (int attempt = 1; attempt <= 100; attempt++) {
            times.add(now);
            Next next = policy.decide(attempt, FAILED, EVENT, now, random);
            if (next instanceof Next.GiveUp) {
                return times;
            }
            assertThat(next).isInstanceOf(Next.RetryAt.class);
            now = ((Next.RetryAt) next).at();
        }
        throw new AssertionError("never gave up: " + times);
    }

    @Test
    void aCustomScheduleIsUsedAndCopied() {
        List<Duration> schedule = new ArrayList<>(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        RetryPolicy custom = new RetryPolicy(schedule, Duration.ofMinutes(1), 0.1);
        schedule.add(Duration.ofHours(1));

        assertThat(custom.schedule()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(custom.horizon()).isEqualTo(Duration.ofMinutes(1));
        assertThat(custom.delayAfter(5, NO_JITTER)).isEqualTo(Duration.ofSeconds(2));
        assertThat(custom.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(900));
        assertThatThrownBy(() -> custom.schedule().add(Duration.ZERO))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEmptyScheduleIsRefused() {
        assertThatThrownBy(() -> new RetryPolicy(List.of(), Duration.ofHours(1), 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1S", "PT-0.001S"})
    void nonPositiveDelaysAreRefused(Duration bad) {
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(5), bad), Duration.ofHours(1), 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT-1H"})
    void nonPositiveHorizonsAreRefused(Duration bad) {
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(5)), bad, 0.2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("horizon");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, -1.0, 1.0, 1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN})
    void jitterOutsideZeroToOneIsRefused(double bad) {
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(5)), Duration.ofHours(1), bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 0.999})
    void jitterInsideZeroToOneIsAccepted(double ok) {
        RetryPolicy p = new RetryPolicy(List.of(Duration.ofSeconds(5)), Duration.ofHours(1), ok);

        assertThat(p.delayAfter(1, NO_JITTER)).isEqualTo(Duration.ofSeconds(5));
    }
}
