package io.partnerhooks.core.usecase;

import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.Tokens;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.port.PortalLinkStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * One-time links that sign a partner into the dashboard without its API key: the token (256
 * random bits) is shown once, in the link, and only its SHA-256 hash is stored. A link opens once,
 * before it expires.
 */
public final class PortalLinks {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    public static final long MIN_SECONDS = 60;
    public static final long MAX_SECONDS = 86_400;

    /** A new link's token (shown once) and when it stops working. */
    public record Issued(String token, Instant expiresAt) {}

    private final PortalLinkStore links;
    private final PartnerStore partners;
    private final Clock clock;
    private final RandomGenerator random;

    public PortalLinks(PortalLinkStore links, PartnerStore partners, Clock clock, RandomGenerator random) {
        this.links = links;
        this.partners = partners;
        this.clock = clock;
        this.random = random;
    }

    /** A link for the partner, valid for {@code seconds} (60..86400); unknown partner: not found. */
    public Issued create(PartnerId partner, long seconds, boolean readOnly) {
        if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new InvalidInputException(
                    "expires_in_seconds",
                    "must be between " + MIN_SECONDS + " and " + MAX_SECONDS + ", got " + seconds);
        }
        if (partners.find(partner).isEmpty()) {
            throw new NotFoundException("partner_id", "no partner " + partner.value());
        }
        String token = Tokens.random256(random);
        Instant now = clock.instant();
        Instant expires = now.plusSeconds(seconds);
        links.insert(Tokens.hash(token), partner, readOnly, now, expires);
        return new Issued(token, expires);
    }

    /** Uses the link up, or says why it cannot be used. */
    public PortalLink.Redemption redeem(String token) {
        if (!plausible(token)) {
            return new PortalLink.Redemption(null, PortalLink.Refusal.UNKNOWN);
        }
        return links.redeem(Tokens.hash(token), clock.instant());
    }

    /** Why the link would not open now, or null when it would; uses nothing up. */
    public PortalLink.Refusal check(String token) {
        return plausible(token) ? links.check(Tokens.hash(token), clock.instant()) : PortalLink.Refusal.UNKNOWN;
    }

    private static boolean plausible(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{43}");
    }
}
