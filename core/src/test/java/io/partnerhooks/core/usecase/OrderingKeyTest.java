package io.partnerhooks.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.domain.Entity;
import org.junit.jupiter.api.Test;

/** The ordering key each event gets: from the catalog's key fields, and for relays the conversation. */
class OrderingKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Entity CHANNEL = new Entity("channel", "ch_1", "ptn_1", "{}");
    private final EventCatalog catalog = EventCatalog.load();

    private ObjectNode json(String s) throws Exception {
        return (ObjectNode) JSON.readTree(s);
    }

    @Test
    void everyCatalogTypeNamesAnOrderingKey() {
        for (EventCatalog.EventType t : catalog.types()) {
            assertThat(t.orderingKey()).as(t.type()).isNotBlank().doesNotContain("partner");
        }
        assertThat(catalog.find("channel.live").orElseThrow().orderingKey()).isEqualTo("channel_id");
        assertThat(catalog.find("workspace.seats.exhausted").orElseThrow().orderingKey())
                .isEqualTo("workspace_id");
        assertThat(catalog.find("message.delivered").orElseThrow().orderingKey())
                .isEqualTo("phone_number_id+wa_id");
        assertThat(catalog.collapsible("phone_number.quality.changed")).isTrue();
        assertThat(catalog.collapsible("message.received")).isFalse();
        assertThat(catalog.collapsible("channel.live")).isFalse();
    }

    @Test
    void theKeyReadsTheTypesFieldsFromTheSubjectAndFallsBackToTheMostSpecificId() throws Exception {
        // the channel's own id wins over the workspace the subject also names
        assertThat(catalog.orderingKey("channel.live", json("{\"workspace_id\":\"ws_1\",\"channel_id\":\"ch_9\"}")))
                .isEqualTo("channel_id:ch_9");
        assertThat(catalog.orderingKey(
                        "workspace.seats.exhausted", json("{\"workspace_id\":\"ws_1\",\"channel_id\":\"ch_9\"}")))
                .isEqualTo("workspace_id:ws_1");
        // none of the key's fields: the most specific id there is, then the partner-wide stream
        assertThat(catalog.orderingKey("channel.live", json("{\"workspace_id\":\"ws_1\"}")))
                .isEqualTo("workspace_id:ws_1");
        assertThat(catalog.orderingKey("channel.live", null)).isEqualTo("partner");
        assertThat(catalog.orderingKey("message.sent", json("{\"phone_number_id\":\"106\",\"wa_id\":\"4917\"}")))
                .isEqualTo("phone_number_id:106+wa_id:4917");
    }

    @Test
    void aRelayIsOrderedPerConversationNotPerNumber() throws Exception {
        assertThat(ReceiveMetaCallback.conversationKey(
                        json("{\"phone_number_id\":\"106\",\"from\":\"4917\",\"contact\":{\"wa_id\":\"4917\"}}"),
                        CHANNEL))
                .isEqualTo("phone_number_id:106+wa_id:4917");
        // a status names the customer as recipient_id
        assertThat(ReceiveMetaCallback.conversationKey(
                        json("{\"phone_number_id\":\"106\",\"recipient_id\":\"4918\"}"), CHANNEL))
                .isEqualTo("phone_number_id:106+wa_id:4918");
        // an echo: from is the business, to the customer
        assertThat(ReceiveMetaCallback.conversationKey(
                        json("{\"phone_number_id\":\"106\",\"from\":\"4930\",\"to\":\"4919\"}"), CHANNEL))
                .isEqualTo("phone_number_id:106+wa_id:4919");
        // no customer (a history chunk): per number; no number: per channel
        assertThat(ReceiveMetaCallback.conversationKey(json("{\"phone_number_id\":\"106\"}"), CHANNEL))
                .isEqualTo("phone_number_id:106");
        assertThat(ReceiveMetaCallback.conversationKey(json("{}"), CHANNEL)).isEqualTo("channel_id:ch_1");
    }
}
