package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;

/**
 * One of a partner's API keys as we keep it: never the key itself (only its hash is stored), but
 * its first characters ({@code prefix}) so a person can tell keys apart. A key authenticates while
 * it is not revoked and {@code expiresAt} is null or later than now.
 */
public record ApiKey(
        ApiKeyId id, PartnerId partnerId, String prefix, Instant createdAt, Instant lastUsedAt, Instant expiresAt) {

    /** How many characters of a key are kept readable: "phk_" and four random ones (24 bits, not enough to guess with). */
    public static final int PREFIX_LENGTH = Tokens.API_KEY_PREFIX.length() + 4;

    public static String prefixOf(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }

    public boolean liveAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }
}
