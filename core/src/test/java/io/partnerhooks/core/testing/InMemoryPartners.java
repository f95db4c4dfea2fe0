package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Partners and their keys; a key is live while neither revoked nor expired (as JdbcPartnerStore). */
public final class InMemoryPartners implements PartnerStore {
    private final Object lock;
    private final Map<PartnerId, Partner> partners = new LinkedHashMap<>();

    private static final class Key {
        ApiKey key;
        final String hash;
        Instant revokedAt;

        Key(ApiKey key, String hash) {
            this.key = key;
            this.hash = hash;
        }

        boolean live(Instant now) {
            return revokedAt == null && key.liveAt(now);
        }
    }

    private final Map<ApiKeyId, Key> keys = new LinkedHashMap<>();

    InMemoryPartners(Object lock) {
        this.lock = lock;
    }

    @Override
    public void insert(Partner partner, ApiKey firstKey, String apiKeyHash) {
        synchronized (lock) {
            if (partners.containsKey(partner.id())) {
                throw new IllegalStateException("duplicate partner " + partner.id());
            }
            partners.put(partner.id(), partner);
            insertKey(firstKey, apiKeyHash);
        }
    }

    @Override
    public Optional<Partner> find(PartnerId id) {
        synchronized (lock) {
            return Optional.ofNullable(partners.get(id));
        }
    }

    @Override
    public List<Partner> list(int limit) {
        synchronized (lock) {
            return partners.values().stream()
                    .sorted(Comparator.comparing(p -> p.id().value()))
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public Optional<KeyHolder> findByApiKeyHash(String apiKeyHash, Instant now) {
        synchronized (lock) {
            for (Key k : keys.values()) {
                if (k.hash.equals(apiKeyHash) && k.live(now)) {
                    return Optional.of(new KeyHolder(partners.get(k.key.partnerId()), k.key));
                }
            }
            return Optional.empty();
        }
    }

    @Override
    public void insertKey(ApiKey key, String apiKeyHash) {
        synchronized (lock) {
            for (Key k : keys.values()) {
                if (k.hash.equals(apiKeyHash)) {
                    throw new IllegalStateException("duplicate key hash");
                }
            }
            keys.put(key.id(), new Key(key, apiKeyHash));
        }
    }

    @Override
    public List<ApiKey> keys(PartnerId partner, Instant now) {
        synchronized (lock) {
            List<ApiKey> out = new ArrayList<>();
            for (Key k : keys.values()) {
                if (k.key.partnerId().equals(partner) && k.live(now)) {
                    out.add(k.key);
                }
            }
            return out;
        }
    }

    @Override
    public Optional<ApiKey> key(PartnerId partner, ApiKeyId id, Instant now) {
        synchronized (lock) {
            Key k = keys.get(id);
            return k != null && k.key.partnerId().equals(partner) && k.live(now)
                    ? Optional.of(k.key)
                    : Optional.empty();
        }
    }

    @Override
    public boolean revokeKey(PartnerId partner, ApiKeyId id, Instant now) {
        synchronized (lock) {
            Key k = keys.get(id);
            if (k == null || !k.key.partnerId().equals(partner) || k.revokedAt != null) {
                return false;
            }
            k.revokedAt = now;
            return true;
        }
    }

    @Override
    public Instant expireKey(PartnerId partner, ApiKeyId id, Instant at) {
        synchronized (lock) {
            Key k = keys.get(id);
            if (k == null || !k.key.partnerId().equals(partner)) {
                throw new NoSuchElementException("no key " + id);
            }
            if (k.key.expiresAt() == null || k.key.expiresAt().isAfter(at)) {
                k.key = new ApiKey(
                        k.key.id(), k.key.partnerId(), k.key.prefix(), k.key.createdAt(), k.key.lastUsedAt(), at);
            }
            return k.key.expiresAt();
        }
    }

    @Override
    public void touchKey(PartnerId partner, ApiKeyId id, Instant now, Instant notAfter) {
        synchronized (lock) {
            Key k = keys.get(id);
            if (k != null
                    && k.key.partnerId().equals(partner)
                    && (k.key.lastUsedAt() == null || !k.key.lastUsedAt().isAfter(notAfter))) {
                k.key = new ApiKey(
                        k.key.id(), k.key.partnerId(), k.key.prefix(), k.key.createdAt(), now, k.key.expiresAt());
            }
        }
    }

    /** The hash a key is stored under (tests check that only the hash is kept). */
    public String hashOf(ApiKeyId id) {
        synchronized (lock) {
            return keys.get(id).hash;
        }
    }
}
