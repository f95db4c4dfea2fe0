package io.partnerhooks.core.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,base64(HMAC-SHA256(key, "id.timestamp.body"))}, where the
 * key is the base64 part of a {@code whsec_} secret. See docs/signing.md for the receiver's side.
 */
public final class Signer {
    public static final String SECRET_PREFIX = "whsec_";
    /** 32 random bytes: inside the 24-64 bytes the contract promises, and the HMAC-SHA256 block's sweet spot. */
    public static final int SECRET_BYTES = 32;

    private Signer() {}

    public static String newSecret(RandomGenerator random) {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public static byte[] keyOf(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("signing secret must start with " + SECRET_PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    /** One {@code v1,...} signature of a message. */
    public static String sign(String secret, String msgId, long timestampSeconds, byte[] body) {
        byte[] sig = hmacSha256(
                keyOf(secret), (msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8), body);
        return "v1," + Base64.getEncoder().encodeToString(sig);
    }

    /** HMAC-SHA256 of the parts, in order, under the key: every signature we make or check uses it. */
    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
