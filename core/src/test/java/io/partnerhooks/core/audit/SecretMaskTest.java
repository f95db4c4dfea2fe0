package io.partnerhooks.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SecretMaskTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode mask(String json) throws Exception {
        return SecretMask.mask(JSON.readTree(json));
    }

    @Test
    void masksFieldsNamedLikeCredentialsAtAnyDepth() throws Exception {
        JsonNode m = mask("{\"secret\":\"s1\",\"previous_secret\":\"s2\",\"api_key\":\"k\",\"apiKey\":\"k2\","
                + "\"token\":\"t\",\"token_sha256\":\"h\",\"nested\":{\"Password\":\"p\",\"client-secret\":\"c\","
                + "\"list\":[{\"authorization\":\"a\"}]},\"name\":\"Acme\"}");
        assertThat(m.toString())
                .doesNotContain("\"s1\"", "\"s2\"", "\"k\"", "\"k2\"", "\"t\"", "\"h\"", "\"p\"", "\"c\"", "\"a\"");
        assertThat(m.get("secret").asText()).isEqualTo(SecretMask.MASK);
        assertThat(m.get("nested").get("list").get(0).get("authorization").asText())
                .isEqualTo(SecretMask.MASK);
        assertThat(m.get("name").asText()).isEqualTo("Acme");
    }

    @Test
    void masksEveryHeaderValueButKeepsTheNames() throws Exception {
        JsonNode m = mask(
                "{\"headers\":{\"X-Api-Version\":\"2\",\"X-Custom\":\"hidden\"},\"custom_headers\":{\"A\":\"b\"}}");
        assertThat(m.get("headers").get("X-Api-Version").asText()).isEqualTo(SecretMask.MASK);
        assertThat(m.get("headers").get("X-Custom").asText()).isEqualTo(SecretMask.MASK);
        assertThat(m.get("custom_headers").get("A").asText()).isEqualTo(SecretMask.MASK);
    }

    @Test
    void masksOurCredentialShapesWhateverTheFieldIsCalled() throws Exception {
        JsonNode m = mask("{\"note\":\"whsec_abc\",\"values\":[\"phk_x\",\"tok_y\",\"plain\"],\"h\":\"Bearer zzz\"}");
        assertThat(m.get("note").asText()).isEqualTo(SecretMask.MASK);
        assertThat(m.get("values").toString()).isEqualTo("[\"****\",\"****\",\"plain\"]");
        assertThat(m.get("h").asText()).isEqualTo(SecretMask.MASK);
    }

    @Test
    void keepsTimesAboutSecretsNullsAndTheInput() throws Exception {
        JsonNode in = JSON.readTree("{\"secret\":\"s\",\"previous_secret\":null,"
                + "\"previous_secret_expires_at\":\"2026-11-22T14:00:00Z\",\"rotated_at\":\"2026-11-22T12:00:00Z\"}");
        JsonNode m = SecretMask.mask(in);
        assertThat(m.get("previous_secret").isNull()).isTrue();
        assertThat(m.get("previous_secret_expires_at").asText()).isEqualTo("2026-11-22T14:00:00Z");
        assertThat(m.get("rotated_at").asText()).isEqualTo("2026-11-22T12:00:00Z");
        assertThat(in.get("secret").asText()).isEqualTo("s");
        assertThat(SecretMask.mask(null)).isNull();
    }
}
