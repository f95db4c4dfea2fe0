package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.quota.AppliedChange;
import io.partnerhooks.core.quota.Quota;
import io.partnerhooks.core.quota.QuotaRules.Threshold;
import io.partnerhooks.core.testing.TestData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Plans, usage reports and thresholds: each fires once per period, in the change's unit of work. */
class ManageWorkspacesTest {
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final ManageWorkspaces workspaces = new ManageWorkspaces(
            t.store.workspaces(), t.store.partners(), t.store.endpoints(), t.ids, t.clock, woken::incrementAndGet);
    private final Partner acme = t.partner("acme");
    private final Endpoint quotas = t.endpoint(acme, "workspace.*");

    private AppliedChange plan(String ws, long seats, long messaging, Instant start, Instant end) {
        return workspaces.setPlan(
                ws, new ManageWorkspaces.PlanRequest(acme.id().value(), seats, messaging, 100, 100, start, end));
    }

    private static ManageWorkspaces.UsageReport messagingUsed(String ws, long used) {
        return new ManageWorkspaces.UsageReport(ws, null, Map.of(Quota.MESSAGING, used), Map.of());
    }

    /** Threshold keys fired in the workspace's current period. */
    private Set<String> fired(String ws) {
        return workspaces.firedThisPeriod(workspaces.current(ws).orElseThrow());
    }

    private static List<String> types(AppliedChange a) {
        return a.published().stream().map(Event::type).toList();
    }

    @Test
    void aThresholdFiresOnceInAPeriodAndTheEventGoesToSubscribers() {
        plan("ws_1", 10, 1000, START, END);
        AppliedChange near =
                workspaces.report(List.of(messagingUsed("ws_1", 950))).get(0);
        assertThat(types(near)).containsExactly("workspace.quota.messaging.near_limit");
        Event e = near.published().get(0);
        assertThat(e.subjectKey()).isEqualTo("workspace_id:ws_1");
        assertThat(e.sequence()).isEqualTo(1);
        assertThat(t.store.deliveriesOf(e.id()))
                .extracting(Delivery::endpointId)
                .containsExactly(quotas.id());
        assertThat(woken).hasValue(1);

        // still above 90 %: nothing more; over 100 %: the exhausted event, once
        assertThat(types(workspaces.report(List.of(messagingUsed("ws_1", 960))).get(0)))
                .isEmpty();
        assertThat(types(workspaces.report(List.of(messagingUsed("ws_1", 1000))).get(0)))
                .containsExactly("workspace.quota.messaging.exhausted");
        assertThat(types(workspaces.report(List.of(messagingUsed("ws_1", 1200))).get(0)))
                .isEmpty();
        assertThat(fired("ws_1")).hasSize(2);
        assertThat(woken).hasValue(2);
    }

    @Test
    void aNewPeriodStartsCountingFromZeroAndReArmsTheThresholds() {
        plan("ws_1", 10, 1000, START, END);
        workspaces.report(List.of(messagingUsed("ws_1", 950)));
        AppliedChange next = plan("ws_1", 10, 1000, END, END.plusSeconds(30 * 86_400));
        assertThat(next.state().used(Quota.MESSAGING)).isZero();
        assertThat(fired("ws_1")).isEmpty();
        assertThat(types(workspaces.report(List.of(messagingUsed("ws_1", 950))).get(0)))
                .containsExactly("workspace.quota.messaging.near_limit");
    }

    @Test
    void incrementsAddUpAndAPartnersOwnThresholdFiresToo() {
        assertThat(workspaces.addThreshold(acme.id(), new Threshold(Quota.MESSAGING, 50)))
                .isTrue();
        assertThat(workspaces.addThreshold(acme.id(), new Threshold(Quota.MESSAGING, 50)))
                .isFalse();
        plan("ws_1", 10, 1000, START, END);
        var inc = new ManageWorkspaces.UsageReport("ws_1", null, Map.of(), Map.of(Quota.MESSAGING, 300L));
        assertThat(types(workspaces.report(List.of(inc)).get(0))).isEmpty();
        AppliedChange second = workspaces.report(List.of(inc)).get(0);
        assertThat(second.state().used(Quota.MESSAGING)).isEqualTo(600);
        assertThat(types(second)).containsExactly("workspace.quota.threshold_reached");
        workspaces.removeThreshold(acme.id(), new Threshold(Quota.MESSAGING, 50));
        assertThat(workspaces.thresholds(acme.id())).isEmpty();
        assertThatThrownBy(() -> workspaces.removeThreshold(acme.id(), new Threshold(Quota.MESSAGING, 50)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aBatchWithOneImpossibleReportWritesNothingOfTheBatch() {
        plan("ws_1", 10, 1000, START, END);
        plan("ws_2", 10, 1000, START, END);
        workspaces.report(List.of(messagingUsed("ws_2", ManageWorkspaces.MAX_COUNTER)));
        int events = t.store.allEvents().size();
        var ok = messagingUsed("ws_1", 950);
        var over = new ManageWorkspaces.UsageReport("ws_2", null, Map.of(), Map.of(Quota.MESSAGING, 1L));
        assertThatThrownBy(() -> workspaces.report(List.of(ok, over)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("[1].messaging_increment"));
        assertThat(workspaces.current("ws_1").orElseThrow().used(Quota.MESSAGING))
                .isZero();
        assertThat(fired("ws_1")).isEmpty();
        assertThat(t.store.allEvents()).hasSize(events);
    }

    @Test
    void badPlansAndReportsAreRefusedWithTheirFieldsNamed() {
        assertThatThrownBy(() ->
                        workspaces.setPlan("ws_1", new ManageWorkspaces.PlanRequest(null, -1, 0, 0, 0, END, START)))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("partner_id", "seats_purchased", "billing_period_end"));
        assertThatThrownBy(() -> workspaces.setPlan(
                        "bad id!", new ManageWorkspaces.PlanRequest(acme.id().value(), 1, 1, 1, 1, START, END)))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> workspaces.report(List.of(messagingUsed("ws_unknown", 1))))
                .isInstanceOf(NotFoundException.class);
        plan("ws_1", 10, 1000, START, END);
        assertThatThrownBy(() -> workspaces.report(List.of(new ManageWorkspaces.UsageReport(
                        "ws_1", null, Map.of(Quota.MESSAGING, 1L), Map.of(Quota.MESSAGING, 1L)))))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> workspaces.report(List.of(messagingUsed("ws_1", 1), messagingUsed("ws_1", 2))))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldError::field)
                                .containsExactly("[1].workspace_id"));
        // another partner cannot take the workspace over
        Partner other = t.partner("other");
        assertThatThrownBy(() -> workspaces.setPlan(
                        "ws_1", new ManageWorkspaces.PlanRequest(other.id().value(), 1, 1, 1, 1, START, END)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("another partner");
        assertThat(workspaces.find(other.id(), "ws_1")).isEmpty();
        assertThat(workspaces.get(acme.id(), "ws_1").seatsPurchased()).isEqualTo(10);
    }
}
