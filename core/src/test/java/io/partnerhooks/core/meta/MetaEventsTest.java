package io.partnerhooks.core.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.CloudApiFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetaEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-22T12:00:00Z");

    private static MetaCallback.Change change(String field, String value) {
        String in = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W1\",\"changes\":[{\"value\":"
                + value + ",\"field\":\"" + field + "\"}]}]}";
        return MetaCallback.parse(in.getBytes(StandardCharsets.UTF_8))
                .orElseThrow()
                .entries()
                .get(0)
                .changes()
                .get(0);
    }

    @Test
    void redeliveriesAreRecognisedByWamidAndStatus() {
        var msg = change(
                "messages",
                "{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[{\"id\":\"wamid.A\"},{\"id\":\"wamid.B\"}]}");
        assertThat(MetaEvents.dedupeKeys(msg)).containsExactly("wamid.A|message", "wamid.B|message");
        var st = change("messages", "{\"statuses\":[{\"id\":\"wamid.A\",\"status\":\"read\"}]}");
        assertThat(MetaEvents.dedupeKeys(st)).containsExactly("wamid.A|read");
        var echo = change("smb_message_echoes", "{\"message_echoes\":[{\"id\":\"wamid.E\"}]}");
        assertThat(MetaEvents.dedupeKeys(echo)).containsExactly("wamid.E|echo");
        var history = change("history", "{\"history\":[]}");
        assertThat(MetaEvents.dedupeKeys(history)).singleElement().asString().startsWith("sha256:");
        assertThat(MetaEvents.dedupeKeys(change("history", "{\"history\":[ ]}")))
                .isNotEqualTo(MetaEvents.dedupeKeys(history));
    }

    @Test
    void messagingChangesMapToCatalogTypesWhoseSchemasTheySatisfy() {
        EventCatalog catalog = EventCatalog.load();
        var cases = Map.of(
                "message.received",
                        change(
                                "messages",
                                "{\"metadata\":{\"phone_number_id\":\"1\"},\"contacts\":[{\"profile\":"
                                        + "{\"name\":\"K\"},\"wa_id\":\"49\"}],\"messages\":[{\"from\":\"49\",\"id\":\"wamid.A\",\"timestamp\":"
                                        + "\"1763800000\",\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":"
                                        + "{\"name\":\"flow\",\"body\":\"Sent\",\"response_json\":\"{}\"}}}]}"),
                "message.undeliverable",
                        change(
                                "messages",
                                "{\"metadata\":{\"phone_number_id\":\"1\"},\"statuses\":[{\"id\":"
                                        + "\"wamid.A\",\"status\":\"failed\",\"timestamp\":\"1763800000\",\"recipient_id\":\"49\",\"errors\":"
                                        + "[{\"code\":130472,\"title\":\"User's number is part of an experiment\"}]}]}"),
                "message.error",
                        change(
                                "messages",
                                "{\"metadata\":{\"phone_number_id\":\"1\"},\"errors\":[{\"code\":131000,"
                                        + "\"title\":\"Something went wrong\"}]}"),
                "contact.sync.updated",
                        change(
                                "smb_app_state_sync",
                                "{\"metadata\":{\"phone_number_id\":\"1\"},\"state_sync\":"
                                        + "[{\"type\":\"contact\",\"action\":\"add\",\"contact\":{\"full_name\":\"A\",\"phone_number\":\"49\"},"
                                        + "\"metadata\":{\"timestamp\":\"1763800000\"}}]}"),
                "history.chunk.received",
                        change(
                                "history",
                                "{\"metadata\":{\"phone_number_id\":\"1\"},\"history\":[{\"metadata\":"
                                        + "{\"phase\":0,\"chunk_order\":1,\"progress\":100},\"threads\":[]}]}"));
        cases.forEach((type, c) -> {
            MetaEvents.Mapped m = MetaEvents.messaging(c, "W1", T);
            assertThat(m.type()).isEqualTo(type);
            assertThat(catalog.validate(type, m.data()))
                    .as(type + " " + m.data())
                    .isEmpty();
        });
        assertThat(MetaEvents.messaging(cases.get("message.received"), "W1", T)
                        .data()
                        .get("kind")
                        .asText())
                .isEqualTo("flow_reply");
    }

    @Test
    void wabaFieldsMapToPartnerEventsOrTheCatchAll() throws Exception {
        EventCatalog catalog = EventCatalog.load();
        var flagged = MetaEvents.waba(
                "phone_number_quality_update",
                JSON.readTree(
                        "{\"display_phone_number\":\"4915\",\"event\":\"FLAGGED\",\"current_limit\":\"TIER_1K\"}"),
                "W1");
        assertThat(flagged.type()).isEqualTo("phone_number.quality.changed");
        assertThat(catalog.validate(flagged.type(), flagged.data())).isEmpty();
        var upgrade = MetaEvents.waba(
                "phone_number_quality_update",
                JSON.readTree(
                        "{\"display_phone_number\":\"4915\",\"event\":\"UPGRADE\",\"current_limit\":\"TIER_10K\"}"),
                "W1");
        assertThat(upgrade.type()).isEqualTo("phone_number.limit.changed");
        var violation = MetaEvents.waba(
                "account_update",
                JSON.readTree("{\"event\":\"ACCOUNT_VIOLATION\",\"violation_info\":{\"violation_type\":\"SCAM\"}}"),
                "W1");
        assertThat(violation.type()).isEqualTo("account.violation.reported");
        assertThat(catalog.validate(violation.type(), violation.data())).isEmpty();
        var unknown = MetaEvents.waba("security", JSON.readTree("{\"event\":\"PIN_CHANGED\"}"), "W1");
        assertThat(unknown.type()).isEqualTo("account.updated");
        assertThat(unknown.data().get("field").asText()).isEqualTo("security");
        assertThat(unknown.data().get("detail").get("event").asText()).isEqualTo("PIN_CHANGED");
        assertThat(catalog.validate(unknown.type(), unknown.data())).isEmpty();
    }

    @Test
    void theCloudApiFormatSendsTheStoredBodySignedWithTheSecretString() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W1\",\"changes\":[]}]}";
        String data = "{\"phone_number_id\":\"1\",\"cloud_api\":" + body + "}";
        Event e = new Event(
                new EventId("evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP"),
                new PartnerId("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA"),
                "message.received",
                "{}",
                data,
                T,
                null);
        String secret = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";
        Endpoint ep = new Endpoint(
                new EndpointId("ep_01JD3X8ZQ4M2R7T9V0B5C6N8KQ"),
                e.partnerId(),
                "https://example.com/",
                List.of(),
                null,
                true,
                secret,
                T,
                T,
                null,
                null,
                null,
                null,
                new Endpoint.Profile("cloud_api", Map.of(), "ch_1", Endpoint.ROLE_MESSAGING));
        var r = new CloudApiFormat().render(e, ep, T).orElseThrow();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(r.headers()).containsEntry("x-hub-signature-256", CloudApiFormat.signature(secret, r.body()));
        assertThat(MetaSignature.verify(secret, r.body(), r.headers().get("x-hub-signature-256")))
                .isTrue();
        // an event without a Cloud API body has no counterpart here
        Event plain = new Event(e.id(), e.partnerId(), "channel.live", "{}", "{\"id\":\"ch_1\"}", T, null);
        assertThat(new CloudApiFormat().render(plain, ep, T)).isEmpty();
    }
}
