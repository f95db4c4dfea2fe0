package io.partnerhooks.core.meta;

import io.partnerhooks.core.delivery.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

/** Meta's {@code X-Hub-Signature-256}: {@code sha256=} + hex HMAC-SHA256 of the raw body, keyed with the app secret. */
public final class MetaSignature {
    private MetaSignature() {}

    /** True only when the header carries the body's signature under this secret; compared in constant time. */
    public static boolean verify(String appSecret, byte[] body, String header) {
        if (appSecret == null || header == null) {
            return false;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "sha256=", 0, 7)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(h.substring(7).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(appSecret, body), given);
    }

    static byte[] hmac(String secret, byte[] body) {
        return Signer.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body);
    }
}
