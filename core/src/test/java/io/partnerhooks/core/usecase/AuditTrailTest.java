package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.AuditEntry;
import io.partnerhooks.core.domain.AuditFilter;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.testing.TestData;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The audit trail: one row per change, in the change's unit of work, secrets masked, repeats not recorded. */
class AuditTrailTest {
    private final TestData t = new TestData();
    private final AtomicInteger recorded = new AtomicInteger();
    private final AuditTrail audit =
            new AuditTrail(t.store.audit(), t.store.transactions(), t.ids, t.clock, recorded::incrementAndGet);
    private final PartnerId acme = new PartnerId("ptn_acme");

    private static ObjectNode state(String url, String secret) {
        return JsonNodeFactory.instance.objectNode().put("url", url).put("secret", secret);
    }

    @Test
    void aChangeIsRecordedWithItsStatesAndSecretsMasked() {
        String out = audit.record(AuditTrail.Actor.partner(acme), "endpoint.update", "endpoint", c -> {
            c.target("ep_1")
                    .before(state("https://a.example", "whsec_old"))
                    .after(state("https://b.example", "whsec_new"));
            return "done";
        });
        assertThat(out).isEqualTo("done");
        AuditEntry e = t.store.audit().entries().get(0);
        assertThat(e.partnerId()).isEqualTo("ptn_acme");
        assertThat(e.actorType()).isEqualTo(AuditEntry.PARTNER);
        assertThat(e.action()).isEqualTo("endpoint.update");
        assertThat(e.targetType()).isEqualTo("endpoint");
        assertThat(e.targetId()).isEqualTo("ep_1");
        assertThat(e.createdAt()).isEqualTo(TestData.T0);
        assertThat(e.beforeJson()).contains("https://a.example").doesNotContain("whsec_old");
        assertThat(e.afterJson()).contains("https://b.example").doesNotContain("whsec_new");
        // the listener hears of it once the unit of work has committed
        assertThat(recorded).hasValue(1);
    }

    @Test
    void aRepeatThatChangedNothingAndAFailedChangeLeaveNoRow() {
        audit.record(AuditTrail.Actor.OPERATOR, "partner.create", "partner", c -> c.nothingChanged());
        audit.record(
                AuditTrail.Actor.OPERATOR,
                "x.update",
                "x",
                c -> c.before(state("u", "s")).after(state("u", "s")));
        assertThatThrownBy(() -> audit.record(AuditTrail.Actor.partner(acme), "endpoint.delete", "endpoint", c -> {
                    c.target("ep_1");
                    throw new IllegalStateException("refused");
                }))
                .hasMessage("refused");
        assertThat(t.store.audit().entries()).isEmpty();
        assertThat(recorded).hasValue(0);
    }

    @Test
    void theOperatorsChangesNameTheirOwnerAndAChangeMayNameItsAction() {
        audit.record(
                AuditTrail.Actor.OPERATOR,
                "workspace.update",
                "workspace",
                c -> c.owner("ptn_acme")
                        .action("workspace.create")
                        .target("ws_1")
                        .after(state("u", "s")));
        t.clock.advance(Duration.ofSeconds(1));
        audit.record(AuditTrail.Actor.OPERATOR, "operator.thing", "thing", c -> c.after(state("u", "s")));
        assertThat(audit.list(acme, new AuditFilter(null, null, null), 10, null).items())
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.action()).isEqualTo("workspace.create");
                    assertThat(e.actorType()).isEqualTo(AuditEntry.OPERATOR);
                });
        assertThat(audit.listAll(new AuditFilter(null, null, null), 10, null).items())
                .extracting(AuditEntry::action)
                .containsExactly("operator.thing", "workspace.create");
        assertThat(audit.listAll(new AuditFilter("operator.thing", null, null), 10, null)
                        .items())
                .hasSize(1);
    }
}
