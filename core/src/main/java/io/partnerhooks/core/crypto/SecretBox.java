package io.partnerhooks.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.random.RandomGenerator;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts signing secrets at rest with AES-256-GCM under the operator's master key, so that the
 * database alone never reveals a secret. Stored form: {@code enc1:} + base64(12-byte nonce ||
 * ciphertext || 16-byte tag). The column name is bound in as associated data, so a ciphertext
 * moved to another column does not decrypt.
 */
public final class SecretBox {
    public static final String PREFIX = "enc1:";
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final RandomGenerator random;

    public SecretBox(byte[] masterKey, RandomGenerator random) {
        if (masterKey.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the master key must be " + KEY_BYTES + " bytes, got " + masterKey.length);
        }
        this.key = new SecretKeySpec(masterKey.clone(), "AES");
        this.random = random;
    }

    /** Parses a master key given as base64 (standard or URL-safe) of 32 bytes. */
    public static byte[] parseKey(String text) {
        byte[] k;
        try {
            String t = text.strip();
            k = t.indexOf('-') >= 0 || t.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(t)
                    : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "MASTER_KEY must be base64 of " + KEY_BYTES + " random bytes (e.g. `openssl rand -base64 32`)");
        }
        if (k.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "MASTER_KEY must be base64 of " + KEY_BYTES + " bytes, got " + k.length + " bytes");
        }
        return k;
    }

    public String seal(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /**
     * The plaintext of a sealed value. Values written before encryption existed (plain
     * {@code whsec_...}) are returned as they are. A value sealed under another key fails loudly:
     * fails closed, since signing with a wrong secret would only produce rejected deliveries.
     */
    public String open(String stored, String context) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "a stored signing secret cannot be decrypted: is PARTNERHOOKS_MASTER_KEY the key"
                            + " it was written with?");
        }
    }
}
