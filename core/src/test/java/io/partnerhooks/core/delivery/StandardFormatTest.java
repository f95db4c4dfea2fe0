package io.partnerhooks.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Event event(String subjectJson, String dataJson, Instant createdAt) {
        return new Event(
                new EventId("evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP"),
                new PartnerId("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA"),
                "workspace.quota.messaging.exhausted",
                subjectJson,
                dataJson,
                createdAt,
                "idem-1",
                "workspace_id:ws_42",
                7);
    }

    private static String render(Event e) {
        return new String(StandardFormat.render(e), StandardCharsets.UTF_8);
    }

    @Test
    void rendersTheExactEnvelope() {
        Event e = event(
                "{\"workspace_id\":\"ws_42\"}",
                "{\"limit\":1000,\"used\":1000}",
                Instant.parse("2024-03-05T07:08:09.123Z"));

        assertThat(render(e))
                .isEqualTo("{\"id\":\"evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP\","
                        + "\"type\":\"workspace.quota.messaging.exhausted\","
                        + "\"created_at\":\"2024-03-05T07:08:09.123Z\","
                        + "\"partner_id\":\"ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA\","
                        + "\"subject\":{\"workspace_id\":\"ws_42\"},"
                        + "\"sequence\":7,"
                        + "\"data\":{\"limit\":1000,\"used\":1000}}");
    }

    @Test
    void theEnvelopeParsesToTheExpectedFields() throws Exception {
        Event e = event(
                "{\"workspace_id\":\"ws_42\",\"phone_number\":\"+31612345678\"}",
                "{\"limit\":1000,\"used\":999,\"ratio\":0.999,\"tags\":[\"a\",\"b\"],\"note\":null}",
                Instant.parse("2024-03-05T07:08:09.123Z"));

        JsonNode root = JSON.readTree(StandardFormat.render(e));

        assertThat(root.properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("id", "type", "created_at", "partner_id", "subject", "sequence", "data");
        assertThat(root.get("sequence").asLong()).isEqualTo(7);
        assertThat(root.get("id").asText()).isEqualTo("evt_01JD3X8ZQ4M2R7T9V0B5C6N8KP");
        assertThat(root.get("type").asText()).isEqualTo("workspace.quota.messaging.exhausted");
        assertThat(root.get("created_at").asText()).isEqualTo("2024-03-05T07:08:09.123Z");
        assertThat(root.get("partner_id").asText()).isEqualTo("ptn_01JD3X8ZQ4M2R7T9V0B5C6N8KA");
        assertThat(root.get("subject")).isEqualTo(JSON.readTree(e.subjectJson()));
        assertThat(root.get("data")).isEqualTo(JSON.readTree(e.dataJson()));
        assertThat(root.at("/data/tags/1").asText()).isEqualTo("b");
        assertThat(root.at("/data/note").isNull()).isTrue();
    }

    @Test
    void subjectAndDataGoOutVerbatim() {
        // Spacing, key order, number spelling and escapes as the publisher sent them: re-serialising
        // would change the bytes, and with them the signature the partner checks.
        String subject = "{ \"workspace_id\" : \"ws_42\" ,\n  \"z\":1, \"a\":2 }";
        String data = "{\"amount\":1.50,\"big\":1e3,\"name\":\"caf\\u00e9\",\"slash\":\"a\\/b\",\"emoji\":\"😀\"}";
        Event e = event(subject, data, Instant.parse("2024-03-05T07:08:09Z"));

        String out = render(e);

        assertThat(out).contains(",\"subject\":" + subject + ",\"sequence\":7,\"data\":" + data + "}");
        assertThat(out).endsWith(",\"data\":" + data + "}");
    }

    @Test
    void nonAsciiIsEncodedAsUtf8() {
        Event e = event("{\"name\":\"Zürich\"}", "{\"greeting\":\"café 😀\"}", Instant.parse("2024-03-05T07:08:09Z"));

        byte[] bytes = StandardFormat.render(e);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"greeting\":\"café 😀\"");
        // é is two bytes in UTF-8, the emoji four.
        assertThat(bytes).containsSequence("caf\u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(bytes).containsSequence((byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80);
    }

    @Test
    void createdAtAlwaysHasThreeFractionDigitsInUtc() {
        assertThat(render(event("{}", "{}", Instant.parse("2024-03-05T07:08:09Z"))))
                .contains("\"created_at\":\"2024-03-05T07:08:09.000Z\"");
        // Finer precision is cut, not rounded: the stored value keeps milliseconds only.
        assertThat(render(event("{}", "{}", Instant.parse("2024-03-05T07:08:09.999999Z"))))
                .contains("\"created_at\":\"2024-03-05T07:08:09.999Z\"");
        assertThat(render(event("{}", "{}", Instant.parse("1999-12-31T23:59:59.5Z"))))
                .contains("\"created_at\":\"1999-12-31T23:59:59.500Z\"");
    }

    @Test
    void emptyObjectsAndOtherJsonValuesAreEmbeddedAsGiven() throws Exception {
        Event e = event("{}", "[1,2,3]", Instant.parse("2024-03-05T07:08:09Z"));

        String out = render(e);

        assertThat(out).endsWith(",\"subject\":{},\"sequence\":7,\"data\":[1,2,3]}");
        assertThat(JSON.readTree(out).get("data").isArray()).isTrue();
    }

    @Test
    void stringFieldsAreJsonEscaped() throws Exception {
        // Ids and types are validated before they get here; the envelope stays valid JSON regardless.
        Event e = new Event(
                new EventId("evt_a\"b\\c"),
                new PartnerId("ptn_\u0001x"),
                "type.with\"quote",
                "{}",
                "{}",
                Instant.parse("2024-03-05T07:08:09Z"),
                null);

        String out = render(e);

        assertThat(out).startsWith("{\"id\":\"evt_a\\\"b\\\\c\",\"type\":\"type.with\\\"quote\",");
        assertThat(out).contains("\"partner_id\":\"ptn_\\u0001x\"");
        JsonNode root = JSON.readTree(out);
        assertThat(root.get("id").asText()).isEqualTo("evt_a\"b\\c");
        assertThat(root.get("partner_id").asText()).isEqualTo("ptn_\u0001x");
    }

    @Test
    void theIdempotencyKeyIsNotPartOfTheEnvelope() {
        assertThat(render(event("{}", "{}", Instant.parse("2024-03-05T07:08:09Z"))))
                .doesNotContain("idem-1");
    }
}
