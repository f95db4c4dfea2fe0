package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Partners and their API keys (a partner has any number of keys; each is stored as a hash). */
public interface PartnerStore {
    /** The partner and its first API key, together. */
    void insert(Partner partner, ApiKey firstKey, String apiKeyHash);

    Optional<Partner> find(PartnerId id);

    /** Every partner by id, at most {@code limit}: the operator's view in the dashboard. */
    List<Partner> list(int limit);

    /**
     * The partner whose key hashes to this value, when that key is neither revoked nor expired at
     * {@code now}. Read from the database on every call (no cache), so a revoke or an expiry holds
     * at once on every node.
     */
    Optional<KeyHolder> findByApiKeyHash(String apiKeyHash, Instant now);

    void insertKey(ApiKey key, String apiKeyHash);

    /** The partner's keys that still authenticate at {@code now}, oldest first. */
    List<ApiKey> keys(PartnerId partner, Instant now);

    /** One of the partner's keys that still authenticates at {@code now}. */
    Optional<ApiKey> key(PartnerId partner, ApiKeyId id, Instant now);

    /** Revokes the key; false when the partner has no such live key. */
    boolean revokeKey(PartnerId partner, ApiKeyId id, Instant now);

    /** Makes the key expire at {@code at}, or keeps an earlier expiry it already has; the expiry it ends with. */
    Instant expireKey(PartnerId partner, ApiKeyId id, Instant at);

    /**
     * Sets the key's last use to {@code now} unless it was already set after {@code notAfter}: the
     * condition is in the statement, so that nodes racing write it once.
     */
    void touchKey(PartnerId partner, ApiKeyId id, Instant now, Instant notAfter);
}
