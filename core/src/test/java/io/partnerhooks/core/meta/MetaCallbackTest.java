package io.partnerhooks.core.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetaCallbackTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSingleChangeComesBackByteForByte() {
        String in =
                "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1029\",\"time\":1763800276,\"changes\":"
                        + "[{\"value\":{\"a\":\"Gr\\u00fc\\u00dfe \\ud83e\\udd50 \\\"q\\\"\",\"n\":1.50},\"field\":\"messages\"}]}]}";
        MetaCallback cb = MetaCallback.parse(b(in)).orElseThrow();
        MetaCallback.Entry e = cb.entries().get(0);
        assertThat(e.id()).isEqualTo("1029");
        MetaCallback.Change c = e.changes().get(0);
        assertThat(c.field()).isEqualTo("messages");
        assertThat(c.rawValue()).isEqualTo("{\"a\":\"Gr\\u00fc\\u00dfe \\ud83e\\udd50 \\\"q\\\"\",\"n\":1.50}");
        assertThat(c.value().get("a").asText()).isEqualTo("Grüße 🥐 \"q\"");
        assertThat(cb.envelope(e, List.of(c))).isEqualTo(in);
    }

    @Test
    void choosingChangesKeepsTheRestOfTheEntryAndTheChangesAsSent() {
        String c1 = "{ \"value\" : {\"metadata\":{\"phone_number_id\":\"1\"}} , \"field\":\"messages\" }";
        String c2 = "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"2\"}}}";
        String in = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[" + c1 + "," + c2
                + "]}]}";
        MetaCallback cb = MetaCallback.parse(b(in)).orElseThrow();
        MetaCallback.Entry e = cb.entries().get(0);
        assertThat(e.changes()).extracting(MetaCallback.Change::raw).containsExactly(c1, c2);
        assertThat(cb.envelope(e, List.of(e.changes().get(1))))
                .isEqualTo("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"W\",\"changes\":[" + c2
                        + "]}]}");
        assertThat(MetaEvents.phoneNumberId(e.changes().get(0).value())).isEqualTo("1");
    }

    @Test
    void whatIsNotACallbackIsRefused() {
        assertThat(MetaCallback.parse(b("[]"))).isEmpty();
        assertThat(MetaCallback.parse(b("{\"object\":\"x\"}"))).isEmpty();
        assertThat(MetaCallback.parse(b("{\"entry\":{}}"))).isEmpty();
        assertThat(MetaCallback.parse(b("{\"entry\":[1]}"))).isEmpty();
        assertThat(MetaCallback.parse(b("{\"entry\":[]} trailing"))).isEmpty();
        assertThat(MetaCallback.parse(b("{\"entry\":[{\"id\":\"1\",\"changes\":[{\"value\":")))
                .isEmpty();
        assertThat(MetaCallback.parse(b("{\"entry\":[]}"))).isPresent();
    }
}
