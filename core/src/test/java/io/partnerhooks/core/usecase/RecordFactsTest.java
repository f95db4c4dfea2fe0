package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.testing.TestData;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Stateful facts: a change and its event are one write; repeating the current state emits nothing. */
class RecordFactsTest {
    private final TestData t = new TestData();
    private final AtomicInteger woken = new AtomicInteger();
    private final RecordFacts facts = new RecordFacts(
            t.store.entities(),
            t.store.workspaces(),
            t.store.partners(),
            t.store.endpoints(),
            t.ids,
            t.clock,
            t.random,
            woken::incrementAndGet);
    private final Partner acme = t.partner("acme");
    private final Endpoint all = t.endpoint(acme, "*");

    private static List<String> types(RecordFacts.Recorded r) {
        return r.events().stream().map(Event::type).toList();
    }

    private RecordFacts.ChannelFields channel(Partner p, String client, String phoneNumberId, String waba) {
        return new RecordFacts.ChannelFields(p.id().value(), client, "+4915112345678", null, phoneNumberId, waba, null);
    }

    private void workspace(String id) {
        new ManageWorkspaces(t.store.workspaces(), t.store.partners(), t.store.endpoints(), t.ids, t.clock, () -> {})
                .setPlan(
                        id,
                        new ManageWorkspaces.PlanRequest(
                                acme.id().value(),
                                1,
                                1,
                                1,
                                1,
                                Instant.parse("2026-11-01T00:00:00Z"),
                                Instant.parse("2026-12-01T00:00:00Z")));
    }

    @Test
    void aWhatsappAccountChangeEmitsOnceAndARepeatIsANoOp() {
        workspace("ws_1");
        RecordFacts.Recorded up = facts.whatsappAccount("ws_1", "acc_1", true, "+491511", "u1", null);
        assertThat(types(up)).containsExactly("whatsapp_account.connected");
        assertThat(up.state().path("state").asText()).isEqualTo("connected");
        assertThat(t.store.deliveriesOf(up.events().get(0).id()))
                .extracting(Delivery::endpointId)
                .containsExactly(all.id());
        assertThat(facts.whatsappAccount("ws_1", "acc_1", true, null, null, null)
                        .events())
                .isEmpty();
        RecordFacts.Recorded down = facts.whatsappAccount("ws_1", "acc_1", false, null, null, "logged out");
        assertThat(types(down)).containsExactly("whatsapp_account.disconnected");
        // what was not given again is kept from the earlier state
        assertThat(down.state().path("phone_number").asText()).isEqualTo("+491511");
        assertThat(down.events().get(0).sequence()).isEqualTo(2);
        assertThat(woken).hasValue(2);
        assertThatThrownBy(() -> facts.whatsappAccount("ws_none", "acc_1", true, null, null, null))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aRotatedTokenIsShownOnceAndOnlyItsHashIsKept() {
        workspace("ws_1");
        RecordFacts.RotatedToken r = facts.rotateApiToken(acme.id(), "ws_1");
        assertThat(r.token()).startsWith("tok_");
        assertThat(r.events()).extracting(Event::type).containsExactly("api_token.rotated");
        String state = facts.current(RecordFacts.TOKEN, "ws_1").orElseThrow().stateJson();
        assertThat(state).contains(Tokens.hash(r.token())).doesNotContain(r.token());
        assertThatThrownBy(() -> facts.rotateApiToken(t.partner("other").id(), "ws_1"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aChannelMovesThroughItsLifecycleAndAnImpossibleStepIsRefusedWithTheWayForward() {
        assertThat(types(facts.upsertClient("cl_1", acme.id().value(), "Client", null)))
                .containsExactly("client.created");
        assertThat(facts.upsertClient("cl_1", acme.id().value(), "Client renamed", null)
                        .events())
                .isEmpty();
        RecordFacts.Recorded created = facts.upsertChannel("ch_1", channel(acme, "cl_1", "106", "waba_1"));
        assertThat(types(created)).containsExactly("channel.created");
        assertThat(created.state().path("status").asText()).isEqualTo("created");

        assertThat(types(facts.transition("ch_1", "submitted"))).containsExactly("channel.submitted");
        assertThat(facts.transition("ch_1", "submitted").events()).isEmpty();
        assertThatThrownBy(() -> facts.transition("ch_1", "live"))
                .isInstanceOfSatisfying(RecordFacts.RefusedTransition.class, e -> {
                    assertThat(e.current()).isEqualTo("submitted");
                    assertThat(e.allowed()).contains("ready").doesNotContain("live");
                });
        assertThat(facts.channel(acme.id(), "ch_1").orElseThrow().path("status").asText())
                .isEqualTo("submitted");
        assertThatThrownBy(() -> facts.transition("ch_1", "flying")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> facts.transition("ch_none", "ready")).isInstanceOf(NotFoundException.class);
        assertThat(facts.channels(acme.id(), 10, null)).hasSize(1);
    }

    @Test
    void aNumberAndAWabaBelongToOneOwnerEach() {
        Partner other = t.partner("other");
        facts.upsertClient("cl_1", acme.id().value(), "Client", null);
        facts.upsertClient("cl_2", other.id().value(), "Theirs", null);
        facts.upsertChannel("ch_1", channel(acme, "cl_1", "106", "waba_1"));

        assertThatThrownBy(() -> facts.upsertChannel("ch_2", channel(acme, "cl_1", "106", null)))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.getMessage()).contains("ch_1"));
        assertThatThrownBy(() -> facts.upsertChannel("ch_3", channel(other, "cl_2", "107", "waba_1")))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> facts.upsertChannel("ch_4", channel(other, "cl_1", "108", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("another partner");
        assertThat(facts.channel(other.id(), "ch_3")).isEmpty();
        assertThat(facts.channel(other.id(), "ch_1")).isEmpty();
        // the same partner's second channel on its WABA is fine
        assertThat(types(facts.upsertChannel("ch_5", channel(acme, "cl_1", "109", "waba_1"))))
                .containsExactly("channel.created");
    }

    @Test
    void badIdsAndUnknownPartnersAreRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> facts.upsertClient("bad id", acme.id().value(), "n", null))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> facts.upsertClient("cl_1", "ptn_nosuch", "n", null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no such partner");
        assertThatThrownBy(() -> facts.upsertChannel("ch_1", channel(acme, "cl_missing", "106", null)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no client");
        facts.upsertClient("cl_1", acme.id().value(), "Client", null);
        assertThatThrownBy(() -> facts.upsertChannel(
                        "ch_1", new RecordFacts.ChannelFields(acme.id().value(), "cl_1", "12", null, null, null, null)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(t.store.allEvents()).extracting(Event::type).containsExactly("client.created");
    }
}
