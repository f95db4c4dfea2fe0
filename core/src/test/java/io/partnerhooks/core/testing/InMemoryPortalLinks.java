package io.partnerhooks.core.testing;

import io.partnerhooks.core.domain.PortalLink;
import io.partnerhooks.core.domain.PortalLink.Redemption;
import io.partnerhooks.core.domain.PortalLink.Refusal;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.PortalLinkStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One-time links by token hash; a redemption marks the link used if it is unused and unexpired. */
public final class InMemoryPortalLinks implements PortalLinkStore {
    private record Row(PartnerId partner, boolean readOnly, Instant expiresAt, Instant usedAt) {}

    private final Map<String, Row> links = new HashMap<>();

    @Override
    public synchronized void insert(
            String tokenHash, PartnerId partner, boolean readOnly, Instant createdAt, Instant expiresAt) {
        if (links.putIfAbsent(tokenHash, new Row(partner, readOnly, expiresAt, null)) != null) {
            throw new IllegalStateException("duplicate token hash");
        }
    }

    @Override
    public synchronized Redemption redeem(String tokenHash, Instant now) {
        Refusal why = check(tokenHash, now);
        if (why != null) {
            return new Redemption(null, why);
        }
        Row r = links.get(tokenHash);
        links.put(tokenHash, new Row(r.partner(), r.readOnly(), r.expiresAt(), now));
        return new Redemption(new PortalLink(r.partner(), r.readOnly()), null);
    }

    @Override
    public synchronized Refusal check(String tokenHash, Instant now) {
        Row r = links.get(tokenHash);
        if (r == null) {
            return Refusal.UNKNOWN;
        }
        if (r.usedAt() != null) {
            return Refusal.USED;
        }
        return r.expiresAt().isAfter(now) ? null : Refusal.EXPIRED;
    }

    /** Whether a link is stored under this hash (tests check that the token itself is not). */
    public synchronized boolean holds(String tokenHash) {
        return links.containsKey(tokenHash);
    }
}
