package io.partnerhooks.sdk;

import io.partnerhooks.sdk.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook request really comes from Partnerhooks and is recent (Standard Webhooks,
 * signature scheme {@code v1}). Verify the raw body bytes exactly as received, before parsing them:
 * re-serialised JSON is not the text that was signed.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("PARTNERHOOKS_SECRET"));
 * verifier.verify(body, req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
 *         req.getHeader("webhook-signature"), Instant.now());   // throws when not genuine
 * }</pre>
 *
 * <p>During a secret rotation, construct it with both the old and the new secret: a request passes
 * when any {@code v1} signature in the header matches any of them.
 *
 * <p>Instances are immutable and thread-safe; build one at start-up and share it.
 */
public final class WebhookVerifier {
    /** How far the sender's timestamp may be from the receiver's clock, either way, by default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String SECRET_PREFIX = "whsec_";
    private static final String V1 = "v1,";
    private static final String HMAC = "HmacSHA256";
    // 18 digits always fit in a long, whatever they are; longer input is not a plausible time anyway.
    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private final List<SecretKeySpec> keys;
    private final Duration tolerance;

    /** One secret ({@code whsec_...}, as shown when the endpoint was created), 5 minutes tolerance. */
    public WebhookVerifier(String secret) {
        this(List.of(requireSecret(secret)), DEFAULT_TOLERANCE);
    }

    public WebhookVerifier(String secret, Duration tolerance) {
        this(List.of(requireSecret(secret)), tolerance);
    }

    /** Several secrets, typically the old and the new one while a rotation overlaps. */
    public WebhookVerifier(List<String> secrets) {
        this(secrets, DEFAULT_TOLERANCE);
    }

    /**
     * @throws IllegalArgumentException when there is no secret, one does not start with
     *     {@code whsec_} followed by base64, or the tolerance is negative
     */
    public WebhookVerifier(List<String> secrets, Duration tolerance) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(tolerance, "tolerance");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is needed");
        }
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
        }
        List<SecretKeySpec> parsed = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            parsed.add(new SecretKeySpec(decodeSecret(secrets.get(i), i), HMAC));
        }
        this.keys = List.copyOf(parsed);
        this.tolerance = tolerance;
    }

    public Duration tolerance() {
        return tolerance;
    }

    /**
     * Returns normally when the request is genuine and within the tolerance of {@code now}.
     *
     * @param body the raw request body, byte for byte
     * @param webhookId the {@code webhook-id} header; also the key to drop redelivered duplicates by
     * @param webhookTimestamp the {@code webhook-timestamp} header (Unix seconds)
     * @param webhookSignature the {@code webhook-signature} header: space-separated {@code v1,<base64>} entries
     * @param now the receiver's current time
     * @throws WebhookVerificationException when a header is missing, the timestamp is malformed or
     *     too far from {@code now}, or no signature matches
     */
    public void verify(byte[] body, String webhookId, String webhookTimestamp, String webhookSignature, Instant now) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(now, "now");
        String id = requireHeader("webhook-id", webhookId);
        String timestamp = requireHeader("webhook-timestamp", webhookTimestamp);
        String signatures = requireHeader("webhook-signature", webhookSignature);

        // The timestamp is checked before the signature so that a replayed old request is named as
        // such; it cannot be forged either way because it is part of what is signed.
        checkTimestamp(parseTimestamp(timestamp), now);

        List<byte[]> expected = expectedMacs(id, timestamp, body);
        int v1Entries = 0;
        for (String entry : signatures.split("\\s+")) {
            if (!entry.startsWith(V1)) {
                continue; // other schemes (v1a, future versions) are not ours to judge
            }
            v1Entries++;
            byte[] candidate;
            try {
                candidate = Base64.getDecoder().decode(entry.substring(V1.length()));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            for (byte[] mac : expected) {
                if (MessageDigest.isEqual(mac, candidate)) {
                    return;
                }
            }
        }
        if (v1Entries == 0) {
            throw new WebhookVerificationException(
                    Reason.NO_MATCHING_SIGNATURE, "webhook-signature has no v1 signature");
        }
        throw new WebhookVerificationException(
                Reason.NO_MATCHING_SIGNATURE,
                "none of the " + v1Entries
                        + " v1 signature(s) in webhook-signature matches the " + keys.size() + " signing secret(s);"
                        + " check the secret, and that the body is verified exactly as received");
    }

    /** {@link #verify(byte[], String, String, String, Instant)} against the system clock. */
    public void verify(byte[] body, String webhookId, String webhookTimestamp, String webhookSignature) {
        verify(body, webhookId, webhookTimestamp, webhookSignature, Instant.now());
    }

    private List<byte[]> expectedMacs(String id, String timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>(keys.size());
        try {
            // A Mac is not thread-safe; a fresh one per call keeps the verifier shareable.
            Mac mac = Mac.getInstance(HMAC);
            for (SecretKeySpec key : keys) {
                mac.init(key);
                mac.update(prefix);
                out.add(mac.doFinal(body));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
        return out;
    }

    private static String requireHeader(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "missing " + name + " header");
        }
        return value.strip();
    }

    private static long parseTimestamp(String text) {
        if (text.length() > MAX_TIMESTAMP_DIGITS || !isAsciiDigits(text)) {
            throw new WebhookVerificationException(
                    Reason.INVALID_TIMESTAMP,
                    "webhook-timestamp is not a Unix time in whole seconds: '" + printable(text) + "'");
        }
        return Long.parseLong(text);
    }

    private void checkTimestamp(long timestampSeconds, Instant now) {
        // Plain long arithmetic: an 18-digit timestamp is beyond what Instant can hold.
        Duration age = Duration.ofSeconds(now.getEpochSecond() - timestampSeconds, now.getNano());
        if (age.compareTo(tolerance) > 0) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "webhook-timestamp "
                            + timestampSeconds + " is " + age.getSeconds() + " s in the past, more than the "
                            + tolerance.getSeconds() + " s tolerance (a replayed request, or a clock that is off)");
        }
        if (age.negated().compareTo(tolerance) > 0) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "webhook-timestamp "
                            + timestampSeconds + " is " + age.negated().getSeconds()
                            + " s in the future, more than the "
                            + tolerance.getSeconds() + " s tolerance (is this receiver's clock behind?)");
        }
    }

    private static String requireSecret(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("signing secret must not be null");
        }
        return secret;
    }

    // Error messages name the position only: echoing a secret would put it in logs.
    private static byte[] decodeSecret(String secret, int index) {
        String which = "signing secret #" + (index + 1);
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException(which + " must start with " + SECRET_PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder()
                    .decode(secret.substring(SECRET_PREFIX.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(which + " is not " + SECRET_PREFIX + " followed by base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException(which + " is empty after " + SECRET_PREFIX);
        }
        return key;
    }

    private static boolean isAsciiDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return sb.toString();
    }
}
