package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.ApiKey;
import io.partnerhooks.core.domain.KeyHolder;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.ApiKeyId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A partner's API keys: issue, list, revoke, roll, and check a presented key. A key is shown once,
 * when it is issued; only its SHA-256 hash is stored. Every check reads the database, so a revoked
 * or expired key is refused at once on every node (fails closed: no cache can outlive a revoke).
 */
public final class ManageApiKeys {
    public static final long DEFAULT_ROLL_OVERLAP_SECONDS = Duration.ofDays(1).toSeconds();
    /** The longest a rolled key may keep working: long enough to redeploy, short enough that a leaked key dies. */
    public static final long MAX_ROLL_OVERLAP_SECONDS = Duration.ofDays(30).toSeconds();
    /** A key's last use is written at most this often, so that authenticating stays a read. */
    public static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    /** A key just issued: what we keep, and the key itself (available only here). */
    public record Issued(ApiKey key, String secret) {}

    /** The outcome of a roll: the new key, and the calling key as it is now (expiring at {@code currentExpiresAt}). */
    public record Rolled(Issued fresh, ApiKey current, Instant currentExpiresAt) {}

    private final PartnerStore partners;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;

    public ManageApiKeys(PartnerStore partners, IdGenerator ids, Clock clock, RandomGenerator random) {
        this.partners = partners;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    /** A new key for a partner; the caller stores it with {@code Tokens.hash(secret)}. */
    static Issued newKey(PartnerId partner, IdGenerator ids, Instant now, RandomGenerator random) {
        String secret = Tokens.newApiKey(random);
        ApiKey key = new ApiKey(new ApiKeyId(ids.next(Ids.API_KEY)), partner, ApiKey.prefixOf(secret), now, null, null);
        return new Issued(key, secret);
    }

    public Issued create(PartnerId partner) {
        requirePartner(partner);
        Issued issued = newKey(partner, ids, now(), random);
        partners.insertKey(issued.key(), Tokens.hash(issued.secret()));
        return issued;
    }

    public List<ApiKey> list(PartnerId partner) {
        requirePartner(partner);
        return partners.keys(partner, now());
    }

    /** Revokes one of the partner's keys; the key as it was before (404 for an unknown key, or another partner's). */
    public ApiKey revoke(PartnerId partner, String rawKeyId) {
        requirePartner(partner);
        ApiKey key = liveKey(partner, rawKeyId);
        if (!partners.revokeKey(partner, key.id(), now())) {
            throw notFound(rawKeyId);
        }
        return key;
    }

    /**
     * A new key for the partner; the key that asked keeps working for {@code expireCurrentInSeconds}
     * (null: the default of one day; 0: it stops at once). A key already set to expire sooner keeps
     * its earlier expiry.
     */
    public Rolled roll(PartnerId partner, ApiKeyId current, Long expireCurrentInSeconds) {
        long seconds = expireCurrentInSeconds == null ? DEFAULT_ROLL_OVERLAP_SECONDS : expireCurrentInSeconds;
        if (seconds < 0 || seconds > MAX_ROLL_OVERLAP_SECONDS) {
            throw new InvalidInputException(
                    "expire_current_in_seconds", "must be between 0 and " + MAX_ROLL_OVERLAP_SECONDS + " (30 days)");
        }
        Instant now = now();
        ApiKey before = partners.key(partner, current, now).orElseThrow(() -> notFound(current.value()));
        Issued fresh = newKey(partner, ids, now, random);
        partners.insertKey(fresh.key(), Tokens.hash(fresh.secret()));
        Instant expires = partners.expireKey(partner, current, now.plusSeconds(seconds));
        return new Rolled(fresh, before, expires);
    }

    /** The partner and key a presented key belongs to, while it is live; its last use is noted (at most once a minute). */
    public Optional<KeyHolder> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        Instant now = now();
        Optional<KeyHolder> found = partners.findByApiKeyHash(Tokens.hash(presented), now);
        found.ifPresent(h -> {
            Instant last = h.key().lastUsedAt();
            Instant notAfter = now.minus(LAST_USED_GRANULARITY);
            if (last == null || !last.isAfter(notAfter)) {
                partners.touchKey(h.partner().id(), h.key().id(), now, notAfter);
            }
        });
        return found;
    }

    /** True while the partner's key is neither revoked nor expired. */
    public boolean live(PartnerId partner, ApiKeyId key) {
        return partners.key(partner, key, now()).isPresent();
    }

    private ApiKey liveKey(PartnerId partner, String rawKeyId) {
        if (!Ids.looksLike(rawKeyId, Ids.API_KEY)) {
            throw notFound(rawKeyId);
        }
        return partners.key(partner, new ApiKeyId(rawKeyId), now()).orElseThrow(() -> notFound(rawKeyId));
    }

    private void requirePartner(PartnerId partner) {
        if (partners.find(partner).isEmpty()) {
            throw new NotFoundException("partner_id", "no partner " + partner.value());
        }
    }

    private static NotFoundException notFound(String rawKeyId) {
        return new NotFoundException("key_id", "no API key " + rawKeyId);
    }

    private Instant now() {
        return Times.millis(clock.instant());
    }
}
