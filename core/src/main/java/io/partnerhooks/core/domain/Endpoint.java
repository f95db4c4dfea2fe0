package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;

/**
 * A partner's webhook target. {@code secret} is the Standard Webhooks signing secret
 * ({@code whsec_...}); during a rotation {@code previousSecret} keeps signing until
 * {@code previousSecretExpiresAt}.
 */
public record Endpoint(
        EndpointId id,
        PartnerId partnerId,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        String secret,
        Instant createdAt,
        Instant updatedAt,
        Limits limits,
        Health health,
        String previousSecret,
        Instant previousSecretExpiresAt) {

    public static final int DEFAULT_MAX_IN_FLIGHT = 10;

    /** How hard we may push this endpoint. {@code ratePerSecond} null = no rate limit. */
    public record Limits(int maxInFlight, Integer ratePerSecond) {
        public static final Limits DEFAULT = new Limits(DEFAULT_MAX_IN_FLIGHT, null);
    }

    /**
     * The current failure streak. {@code probeAfter} set = in cooldown: one probe at a time, none
     * before that instant. {@code disabledReason} set = switched off by us (410, or failing for the
     * whole retry horizon), as opposed to by the partner.
     */
    public record Health(int consecutiveFailures, Instant failingSince, Instant probeAfter, String disabledReason,
            Instant disabledAt) {
        public static final Health OK = new Health(0, null, null, null, null);

        public boolean inCooldown() {
            return probeAfter != null;
        }
    }

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
        limits = limits == null ? Limits.DEFAULT : limits;
        health = health == null ? Health.OK : health;
    }

    public Endpoint(EndpointId id, PartnerId partnerId, String url, List<String> eventTypes, String description,
            boolean enabled, String secret, Instant createdAt, Instant updatedAt) {
        this(id, partnerId, url, eventTypes, description, enabled, secret, createdAt, updatedAt, Limits.DEFAULT,
                Health.OK, null, null);
    }

    public boolean accepts(String eventType) {
        return EventTypeFilter.matchesAny(eventTypes, eventType);
    }

    /** The secrets to sign with now: the current one, and the previous one while its overlap lasts. */
    public List<String> signingSecrets(Instant now) {
        if (previousSecret != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt)) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }

    /** active | cooldown | disabled, as partners see it. */
    public String state() {
        if (!enabled) {
            return "disabled";
        }
        return health.inCooldown() ? "cooldown" : "active";
    }

    public Endpoint withSecrets(String newSecret, String previous, Instant previousExpiresAt, Instant now) {
        return new Endpoint(id, partnerId, url, eventTypes, description, enabled, newSecret, createdAt, now, limits, health,
                previous, previousExpiresAt);
    }
}
