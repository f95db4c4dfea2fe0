package io.partnerhooks.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void readsEveryKindOfValueInDocumentOrder() {
        Map<String, Object> m = Json.parseObject(
                " {\"b\":1,\"a\":[true,false,null,-2.5e1,\"x\"],\"big\":123456789012345678901234,\"o\":{}} ");
        assertThat(m.keySet()).containsExactly("b", "a", "big", "o");
        assertThat(m.get("b")).isEqualTo(1L);
        assertThat((List<Object>) m.get("a")).containsExactly(true, false, null, new BigDecimal("-2.5e1"), "x");
        assertThat(m.get("big")).isEqualTo(new BigDecimal("123456789012345678901234"));
        assertThat(m.get("o")).isEqualTo(Map.of());
    }

    @Test
    void escapesSurviveARoundTrip() {
        String s = "quote \" backslash \\ newline \n tab \t bell \u0007 snowman \u2603 emoji \uD83D\uDE00";
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("s", s);
        String text = Json.write(in);
        assertThat(text).contains("\\u0007").contains("\\n").doesNotContain("\n");
        assertThat(Json.parseObject(text).get("s")).isEqualTo(s);
        assertThat(Json.parse("\"\\ud83d\\ude00 \\/\"")).isEqualTo("\uD83D\uDE00 /");
    }

    @Test
    void writesNumbersInstantsNullsAndLists() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("n", 7);
        in.put("l", 1L << 40);
        in.put("d", 1.5);
        in.put("t", Instant.parse("2026-11-01T00:00:00Z"));
        in.put("z", null);
        in.put("list", List.of("a", 2));
        assertThat(Json.write(in))
                .isEqualTo(
                        "{\"n\":7,\"l\":1099511627776,\"d\":1.5,\"t\":\"2026-11-01T00:00:00Z\",\"z\":null,\"list\":[\"a\",2]}");
    }

    @Test
    void refusesWhatIsNotOneJsonDocument() {
        for (String bad :
                List.of("", "{", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"open", "tru", "{a:1}", "\"\\x\"", "-")) {
            assertThatThrownBy(() -> Json.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not valid JSON");
        }
        assertThatThrownBy(() -> Json.parseObject("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProblemBecomesTheExceptionOfItsStatus() {
        Map<String, Object> p = Json.parseObject(
                "{\"type\":\"urn:partnerhooks:problem:invalid-input\",\"title\":\"Invalid input\","
                        + "\"status\":400,\"detail\":\"bad\",\"errors\":[{\"field\":\"data.workspace_id\",\"detail\":\"is required\"}]}");
        PartnerhooksException e = PartnerhooksException.of(400, p, null);
        assertThat(e).isInstanceOf(PartnerhooksException.InvalidInput.class);
        assertThat(e.field()).contains("data.workspace_id");
        assertThat(e.getMessage()).contains("400 Invalid input: bad").contains("data.workspace_id");
        assertThat(PartnerhooksException.of(429, Map.of(), Duration.ofSeconds(60)))
                .isInstanceOf(PartnerhooksException.TooManyRequests.class)
                .satisfies(x -> assertThat(x.retryAfter()).contains(Duration.ofSeconds(60)));
        assertThat(PartnerhooksException.of(403, Map.of(), null))
                .isInstanceOf(PartnerhooksException.Unauthorized.class);
        assertThat(PartnerhooksException.of(500, Map.of(), null).getClass()).isEqualTo(PartnerhooksException.class);
    }
}
