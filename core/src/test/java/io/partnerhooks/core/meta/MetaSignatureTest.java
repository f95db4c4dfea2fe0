package io.partnerhooks.core.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.partnerhooks.core.delivery.CloudApiFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetaSignatureTest {
    private static final byte[] BODY =
            "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    // Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'app-secret'
    private static final String EXPECTED = "sha256=d3e4f9da0ce6c71ab3dba55929b8eeeee2455349e534924ead19f98d143e904f";

    @Test
    void theSignatureIsHexHmacSha256OfTheRawBody() {
        String sig = CloudApiFormat.signature("app-secret", BODY);
        assertThat(sig).isEqualTo(EXPECTED);
        assertThat(MetaSignature.verify("app-secret", BODY, sig)).isTrue();
        assertThat(MetaSignature.verify("app-secret", BODY, sig.toUpperCase().replace("SHA256=", "sha256=")))
                .isTrue();
        assertThat(MetaSignature.verify("other", BODY, sig)).isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, null)).isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, "sha1=" + sig.substring(7)))
                .isFalse();
        assertThat(MetaSignature.verify("app-secret", BODY, "sha256=nothex")).isFalse();
        assertThat(MetaSignature.verify(null, BODY, sig)).isFalse();
    }
}
