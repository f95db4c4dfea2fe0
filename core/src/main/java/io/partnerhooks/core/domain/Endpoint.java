package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Instant previousSecretExpiresAt,
        Profile profile,
        SubjectFilter filter) {

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
    public record Health(
            int consecutiveFailures,
            Instant failingSince,
            Instant probeAfter,
            String disabledReason,
            Instant disabledAt) {
        public static final Health OK = new Health(0, null, null, null, null);

        public boolean inCooldown() {
            return probeAfter != null;
        }
    }

    /**
     * How deliveries to this endpoint look and what it is for. {@code format} names the payload
     * format ({@code standard} unless the partner chose a provider-compatible one); {@code headers}
     * are the partner's own headers sent on every delivery (they may carry credentials, so they are
     * stored sealed and shown masked). {@code role} is null for an ordinary endpoint, {@link #ROLE_MESSAGING}
     * for a phone number's messaging webhook ({@code channelId} names the number) and
     * {@link #ROLE_DEFAULT} for the single endpoint that a provider-compatible settings route manages.
     * {@code collapse}: a still-pending delivery of a collapsible (state) type is superseded, not
     * sent, when a newer event of the same type and ordering key is published.
     * {@code ordering}: {@link #ORDERING_NONE} (default) or {@link #ORDERING_ORDERED}, where the
     * deliveries sharing an ordering key go one at a time in sequence order (ADR 11).
     * {@code statusOrder}: for a messaging webhook, {@link #AS_RECEIVED} (default) or
     * {@link #MONOTONIC} (a status below one already relayed for its message is not sent).
     * {@code traceContext}: each attempt sends a W3C {@code traceparent} header naming its span
     * (when tracing is on; ADR 15). Not part of the signature.
     */
    public record Profile(
            String format,
            Map<String, String> headers,
            String channelId,
            String role,
            boolean collapse,
            String ordering,
            String statusOrder,
            boolean traceContext) {
        public Profile(
                String format,
                Map<String, String> headers,
                String channelId,
                String role,
                boolean collapse,
                String ordering,
                String statusOrder) {
            this(format, headers, channelId, role, collapse, ordering, statusOrder, false);
        }

        public Profile(String format, Map<String, String> headers, String channelId, String role) {
            this(format, headers, channelId, role, false, ORDERING_NONE, AS_RECEIVED);
        }

        public Profile(String format, Map<String, String> headers, String channelId, String role, boolean collapse) {
            this(format, headers, channelId, role, collapse, ORDERING_NONE, AS_RECEIVED);
        }

        public Profile(
                String format,
                Map<String, String> headers,
                String channelId,
                String role,
                boolean collapse,
                String ordering) {
            this(format, headers, channelId, role, collapse, ordering, AS_RECEIVED);
        }

        public static final String ORDERING_NONE = "none";
        public static final String ORDERING_ORDERED = "ordered";
        public static final List<String> ORDERINGS = List.of(ORDERING_NONE, ORDERING_ORDERED);

        public static final String STANDARD = "standard";
        public static final Profile DEFAULT = new Profile(STANDARD, Map.of(), null, null);
        /** Status order of a messaging webhook: every status relayed as Meta sent it (the default). */
        public static final String AS_RECEIVED = "as_received";
        /** Status order of a messaging webhook: a status lower than one already relayed for its message is not sent. */
        public static final String MONOTONIC = "monotonic";

        public Profile {
            format = format == null ? STANDARD : format;
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            ordering = ordering == null ? ORDERING_NONE : ordering;
            statusOrder = statusOrder == null ? AS_RECEIVED : statusOrder;
        }

        /** Whether deliveries sharing an ordering key go one at a time, in sequence order. */
        public boolean ordered() {
            return ORDERING_ORDERED.equals(ordering);
        }

        public Profile withFormat(String f) {
            return new Profile(f, headers, channelId, role, collapse, ordering, statusOrder, traceContext);
        }

        public Profile withHeaders(Map<String, String> h) {
            return new Profile(format, h, channelId, role, collapse, ordering, statusOrder, traceContext);
        }

        public Profile withCollapse(boolean c) {
            return new Profile(format, headers, channelId, role, c, ordering, statusOrder, traceContext);
        }

        public Profile withOrdering(String o) {
            return new Profile(format, headers, channelId, role, collapse, o, statusOrder, traceContext);
        }

        public Profile withTraceContext(boolean t) {
            return new Profile(format, headers, channelId, role, collapse, ordering, statusOrder, t);
        }

        public Profile withStatusOrder(String o) {
            return new Profile(format, headers, channelId, role, collapse, ordering, o, traceContext);
        }
    }

    public static final String ROLE_MESSAGING = "messaging";
    public static final String ROLE_DEFAULT = "default";

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
        profile = profile == null ? Profile.DEFAULT : profile;
        limits = limits == null ? Limits.DEFAULT : limits;
        health = health == null ? Health.OK : health;
        filter = filter == null ? SubjectFilter.NONE : filter;
    }

    /** Without a subject filter (every subject). */
    public Endpoint(
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
            Instant previousSecretExpiresAt,
            Profile profile) {
        this(
                id,
                partnerId,
                url,
                eventTypes,
                description,
                enabled,
                secret,
                createdAt,
                updatedAt,
                limits,
                health,
                previousSecret,
                previousSecretExpiresAt,
                profile,
                SubjectFilter.NONE);
    }

    public Endpoint(
            EndpointId id,
            PartnerId partnerId,
            String url,
            List<String> eventTypes,
            String description,
            boolean enabled,
            String secret,
            Instant createdAt,
            Instant updatedAt) {
        this(
                id,
                partnerId,
                url,
                eventTypes,
                description,
                enabled,
                secret,
                createdAt,
                updatedAt,
                Limits.DEFAULT,
                Health.OK,
                null,
                null,
                Profile.DEFAULT);
    }

    /** Whether type fan-out sends this event type here. A number's messaging webhook only gets its number's relays. */
    public boolean accepts(String eventType) {
        return !ROLE_MESSAGING.equals(profile.role()) && EventTypeFilter.matchesAny(eventTypes, eventType);
    }

    public Endpoint withFilter(SubjectFilter f) {
        return new Endpoint(
                id,
                partnerId,
                url,
                eventTypes,
                description,
                enabled,
                secret,
                createdAt,
                updatedAt,
                limits,
                health,
                previousSecret,
                previousSecretExpiresAt,
                profile,
                f);
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
        return new Endpoint(
                id,
                partnerId,
                url,
                eventTypes,
                description,
                enabled,
                newSecret,
                createdAt,
                now,
                limits,
                health,
                previous,
                previousExpiresAt,
                profile,
                filter);
    }

    public String format() {
        return profile.format();
    }
}
