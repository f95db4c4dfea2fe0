package io.partnerhooks.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.quota.QuotaRules.Evaluation;
import io.partnerhooks.core.quota.QuotaRules.Firing;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotaRulesTest {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

    static WorkspaceState state(
            long seatsPurchased,
            long seatsUsed,
            long msgLimit,
            long msgUsed,
            long txLimit,
            long txUsed,
            long apiLimit,
            long apiUsed) {
        return new WorkspaceState(
                "ws_1",
                "ptn_1",
                seatsPurchased,
                seatsUsed,
                Map.of(Quota.MESSAGING, msgLimit, Quota.TRANSACTIONS, txLimit, Quota.API_CALLS, apiLimit),
                Map.of(Quota.MESSAGING, msgUsed, Quota.TRANSACTIONS, txUsed, Quota.API_CALLS, apiUsed),
                START,
                END);
    }

    static List<String> types(Evaluation e) {
        return e.fire().stream().map(Firing::type).toList();
    }

    @Test
    void nothingFiresBelowEveryThreshold() {
        Evaluation e = QuotaRules.evaluate(state(5, 4, 1000, 899, 100, 99, 50, 49), Set.of(), List.of());
        assertThat(e.fire()).isEmpty();
        assertThat(e.rearm()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"899,false", "900,true", "999,true"})
    void ninetyPercentIsNearLimit(long used, boolean fires) {
        Evaluation e = QuotaRules.evaluate(state(0, 0, 1000, used, 0, 0, 0, 0), Set.of(), List.of());
        assertThat(types(e).contains("workspace.quota.messaging.near_limit")).isEqualTo(fires);
        assertThat(types(e)).doesNotContain("workspace.quota.messaging.exhausted");
    }

    @Test
    void aJumpFromFiftyToAHundredFiresBothAtOnce() {
        Evaluation e = QuotaRules.evaluate(state(0, 0, 1000, 1000, 0, 0, 0, 0), Set.of(), List.of());
        assertThat(types(e))
                .containsExactly("workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted");
        Firing exhausted = e.fire().get(1);
        assertThat(exhausted.key()).isEqualTo("messaging.100");
        assertThat(exhausted.data())
                .containsEntry("quota_limit", 1000L)
                .containsEntry("quota_used", 1000L)
                .containsEntry("utilization_pct", 100L)
                .containsEntry("threshold", 100)
                .containsEntry("billing_period_start", "2026-11-01T00:00:00.000Z")
                .containsEntry("billing_period_end", "2026-12-01T00:00:00.000Z")
                .containsEntry("workspace_id", "ws_1");
    }

    @Test
    void whatFiredThisPeriodDoesNotFireAgain() {
        Evaluation e = QuotaRules.evaluate(
                state(0, 0, 1000, 1200, 0, 0, 0, 0), Set.of("messaging.90", "messaging.100"), List.of());
        assertThat(e.fire()).isEmpty();
        assertThat(e.rearm()).isEmpty();
    }

    @Test
    void aRaisedQuotaReArmsWhatIsNoLongerReached() {
        Evaluation e = QuotaRules.evaluate(
                state(0, 0, 5000, 1200, 0, 0, 0, 0), Set.of("messaging.90", "messaging.100"), List.of());
        assertThat(e.fire()).isEmpty();
        assertThat(e.rearm()).containsExactlyInAnyOrder("messaging.90", "messaging.100");
        // raised only a little: 100 % re-arms, 90 % stays fired
        Evaluation partly = QuotaRules.evaluate(
                state(0, 0, 1300, 1200, 0, 0, 0, 0), Set.of("messaging.90", "messaging.100"), List.of());
        assertThat(partly.rearm()).containsExactly("messaging.100");
    }

    @Test
    void seatsFireWhenFullAndReArmWhenOneFrees() {
        assertThat(types(QuotaRules.evaluate(state(5, 5, 0, 0, 0, 0, 0, 0), Set.of(), List.of())))
                .containsExactly("workspace.seats.exhausted");
        assertThat(QuotaRules.evaluate(state(5, 5, 0, 0, 0, 0, 0, 0), Set.of(), List.of())
                        .fire()
                        .get(0)
                        .data())
                .containsEntry("seats_purchased", 5L)
                .containsEntry("seats_used", 5L);
        assertThat(QuotaRules.evaluate(state(5, 4, 0, 0, 0, 0, 0, 0), Set.of("seats.exhausted"), List.of())
                        .rearm())
                .containsExactly("seats.exhausted");
        assertThat(QuotaRules.evaluate(state(0, 0, 0, 0, 0, 0, 0, 0), Set.of(), List.of())
                        .fire())
                .isEmpty();
    }

    @Test
    void transactionsAndApiCallsFireAtAHundredPercent() {
        Evaluation e = QuotaRules.evaluate(state(0, 0, 0, 0, 100, 100, 50, 51), Set.of(), List.of());
        assertThat(types(e))
                .containsExactly("workspace.quota.transactions.exhausted", "workspace.quota.api_calls.exhausted");
        assertThat(QuotaRules.evaluate(state(0, 0, 0, 0, 100, 99, 50, 49), Set.of(), List.of())
                        .fire())
                .isEmpty();
    }

    @Test
    void aQuotaOfZeroMeansNoQuota() {
        assertThat(QuotaRules.evaluate(state(0, 0, 0, 10, 0, 10, 0, 10), Set.of(), List.of())
                        .fire())
                .isEmpty();
    }

    @Test
    void partnerThresholdsFireOnceAndReArm() {
        List<Threshold> custom = List.of(new Threshold(Quota.MESSAGING, 75), new Threshold(Quota.API_CALLS, 50));
        Evaluation e = QuotaRules.evaluate(state(0, 0, 1000, 750, 0, 0, 100, 10), Set.of(), custom);
        assertThat(e.fire()).extracting(Firing::key).containsExactly("custom.messaging.75");
        assertThat(e.fire().get(0).type()).isEqualTo("workspace.quota.threshold_reached");
        assertThat(e.fire().get(0).data())
                .containsEntry("quota", "messaging")
                .containsEntry("percent", 75)
                .containsEntry("utilization_pct", 75L);
        assertThat(QuotaRules.evaluate(state(0, 0, 1000, 800, 0, 0, 100, 10), Set.of("custom.messaging.75"), custom)
                        .fire())
                .isEmpty();
        assertThat(QuotaRules.evaluate(state(0, 0, 2000, 800, 0, 0, 100, 10), Set.of("custom.messaging.75"), custom)
                        .rearm())
                .containsExactly("custom.messaging.75");
    }

    @Test
    void utilizationIsExactNotRounded() {
        // 999 of 1,111 is 89.9 %: below 90 %, although it rounds to 90
        assertThat(QuotaRules.evaluate(state(0, 0, 1111, 999, 0, 0, 0, 0), Set.of(), List.of())
                        .fire())
                .isEmpty();
        assertThat(QuotaRules.evaluate(state(0, 0, 1111, 1000, 0, 0, 0, 0), Set.of(), List.of())
                        .fire())
                .hasSize(1);
    }
}
