package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.core.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Meta's callbacks: relayed per number to its messaging webhook once, account changes turned into partner events. */
class ReceiveMetaCallbackTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestData t = new TestData();
    private final Partner acme = t.partner("acme");
    private final AtomicInteger woken = new AtomicInteger();

    /**
     * The inbox as JdbcMetaInbox keeps it: callbacks as received; a relay written only when one of
     * its keys is new for its channel, an account event only when its key is new; channels found
     * through the entity store.
     */
    private final class Inbox implements MetaInbox {
        final List<InboxCallback> callbacks = new ArrayList<>();
        final Set<String> seen = new HashSet<>();

        @Override
        public Saved save(InboxCallback callback, List<Relay> relays, List<AccountEvent> partnerEvents) {
            List<EventStore.Append> appends = new ArrayList<>();
            int relayed = 0;
            int duplicates = 0;
            for (Relay r : relays) {
                boolean fresh = false;
                for (String k : r.keys()) {
                    fresh |= seen.add(r.channelId() + "|" + k);
                }
                if (fresh) {
                    relayed++;
                    appends.add(new EventStore.Append(r.event(), r.deliveries()));
                } else {
                    duplicates++;
                }
            }
            for (AccountEvent a : partnerEvents) {
                if (seen.add(a.wabaId() + "|" + a.key())) {
                    appends.add(new EventStore.Append(
                            a.emission().event(), a.emission().deliveries()));
                } else {
                    duplicates++;
                }
            }
            callbacks.add(callback);
            List<EventStore.Stored> stored = t.store.events().appendAll(appends);
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < appends.size(); i++) {
                events.add(appends.get(i).event().withSequence(stored.get(i).sequence()));
            }
            return new Saved(events, relayed, duplicates);
        }

        @Override
        public List<InboxCallback> unrouted(int limit, String afterId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Entity> channelByPhoneNumberId(String phoneNumberId) {
            return t.store.entities().channelByPhoneNumberId(phoneNumberId);
        }

        @Override
        public Optional<Entity> channelByWabaId(String wabaId) {
            return t.store.entities().list(acme.id(), RecordFacts.CHANNEL, 100, null).stream()
                    .filter(e -> {
                        try {
                            return wabaId.equals(JSON.readTree(e.stateJson())
                                    .path("waba_account")
                                    .path("id")
                                    .asText(null));
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    })
                    .findFirst();
        }
    }

    private final Inbox inbox = new Inbox();
    private final ReceiveMetaCallback receive = new ReceiveMetaCallback(
            inbox, t.store.endpoints(), EventCatalog.load(), t.ids, t.clock, woken::incrementAndGet);
    private final Endpoint everything = t.endpoint(acme, "*");
    private final Endpoint messaging;

    ReceiveMetaCallbackTest() {
        RecordFacts facts = new RecordFacts(
                t.store.entities(),
                t.store.workspaces(),
                t.store.partners(),
                t.store.endpoints(),
                t.ids,
                t.clock,
                t.random,
                () -> {});
        facts.upsertClient("cl_1", acme.id().value(), "Client", null);
        facts.upsertChannel(
                "ch_1",
                new RecordFacts.ChannelFields(acme.id().value(), "cl_1", "+4915112345678", null, "106", "W1", null));
        messaging = new ManageMessagingWebhook(
                        t.store.entities(),
                        t.store.endpoints(),
                        AddressPolicy.denyInternal(),
                        (url, token, challenge) -> Optional.empty(),
                        t.ids,
                        t.clock,
                        t.random)
                .set(acme.id(), "ch_1", new ManageMessagingWebhook.Request("https://example.com/wa", null, null));
    }

    private static byte[] callback(String field, String value) {
        return ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W1\",\"changes\":[{\"value\":" + value
                        + ",\"field\":\"" + field + "\"}]}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] message(String phoneNumberId, String wamid) {
        return callback(
                "messages",
                "{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                        + "\"4915112345678\",\"phone_number_id\":\"" + phoneNumberId
                        + "\"},\"contacts\":[{\"wa_id\":\"4917\"}],"
                        + "\"messages\":[{\"from\":\"4917\",\"id\":\"" + wamid
                        + "\",\"timestamp\":\"1763800276\",\"type\":\"text\","
                        + "\"text\":{\"body\":\"hi\"}}]}");
    }

    @Test
    void aMessageIsRelayedToItsNumbersWebhookOnlyAndARedeliveryIsNot() {
        ReceiveMetaCallback.Received r = receive.receive(message("106", "wamid.A"));
        assertThat(r.status()).isEqualTo(InboxCallback.Status.ROUTED);
        assertThat(r.relayed()).isEqualTo(1);
        Event relay = r.events().get(0);
        assertThat(relay.type()).startsWith("message.");
        assertThat(relay.subjectKey()).isEqualTo("phone_number_id:106+wa_id:4917");
        // the Cloud API body rides along verbatim for the cloud_api format
        assertThat(relay.dataJson()).contains("\"wamid.A\"");
        assertThat(t.store.deliveriesOf(relay.id()))
                .extracting(Delivery::endpointId)
                .containsExactly(messaging.id());
        assertThat(woken).hasValue(1);

        ReceiveMetaCallback.Received again = receive.receive(message("106", "wamid.A"));
        assertThat(again.relayed()).isZero();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.events()).isEmpty();
        assertThat(inbox.callbacks).hasSize(2);
        assertThat(woken).hasValue(1);
    }

    @Test
    void aMessageForAnUnknownNumberIsKeptAsUnroutable() {
        ReceiveMetaCallback.Received r = receive.receive(message("999", "wamid.B"));
        assertThat(r.status()).isEqualTo(InboxCallback.Status.UNROUTABLE);
        assertThat(r.unroutable()).isEqualTo(1);
        assertThat(r.events()).isEmpty();
        assertThat(inbox.callbacks).extracting(InboxCallback::status).containsExactly(InboxCallback.Status.UNROUTABLE);
    }

    @Test
    void somethingThatIsNotACallbackIsKeptAsInvalid() {
        int before = t.store.allEvents().size();
        ReceiveMetaCallback.Received r = receive.receive("{\"hello\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(InboxCallback.Status.INVALID);
        assertThat(inbox.callbacks)
                .singleElement()
                .satisfies(c -> assertThat(c.body()).isEqualTo("{\"hello\":1}"));
        assertThat(t.store.allEvents()).hasSize(before);
    }

    @Test
    void anAccountChangeBecomesAPartnerEventForItsSubscribersOnce() {
        byte[] body = callback(
                "phone_number_quality_update",
                "{\"display_phone_number\":\"4915112345678\","
                        + "\"event\":\"FLAGGED\",\"current_limit\":\"TIER_1K\"}");
        ReceiveMetaCallback.Received r = receive.receive(body);
        assertThat(r.status()).isEqualTo(InboxCallback.Status.ROUTED);
        Event e = r.events().get(0);
        assertThat(e.partnerId()).isEqualTo(acme.id());
        assertThat(e.subjectJson()).contains("W1");
        assertThat(t.store.deliveriesOf(e.id()))
                .extracting(Delivery::endpointId)
                .containsExactly(everything.id());
        assertThat(receive.receive(body).events()).isEmpty();
    }
}
