package io.partnerhooks.core.usecase;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.PayloadFormats;
import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.core.domain.CustomHeaders;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.domain.UrlRules;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.EndpointStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/** Register, change and remove a partner's endpoints; every input is checked before anything is written. */
public final class ManageEndpoints {
    public static final int MAX_DESCRIPTION = 500;
    public static final int MAX_EVENT_TYPES = 100;
    public static final int MAX_IN_FLIGHT_LIMIT = 100;
    public static final int MAX_RATE_LIMIT = 10_000;

    private final EndpointStore endpoints;
    private final DeliveryQueue queue;
    private final AddressPolicy addressPolicy;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;
    private final Set<String> formats;
    private final EventCatalog catalog;

    /** Subscriptions are checked against the shipped catalog; every payload format may be chosen. */
    public ManageEndpoints(
            EndpointStore endpoints,
            DeliveryQueue queue,
            AddressPolicy addressPolicy,
            IdGenerator ids,
            Clock clock,
            RandomGenerator random) {
        this(
                endpoints,
                queue,
                addressPolicy,
                ids,
                clock,
                random,
                PayloadFormats.all().names(),
                EventCatalog.load());
    }

    /**
     * {@code formats}: the payload format names an endpoint may choose; {@code catalog}: the types
     * a subscription must name (exactly, under a {@code prefix.*}, or all with {@code *}).
     */
    public ManageEndpoints(
            EndpointStore endpoints,
            DeliveryQueue queue,
            AddressPolicy addressPolicy,
            IdGenerator ids,
            Clock clock,
            RandomGenerator random,
            Set<String> formats,
            EventCatalog catalog) {
        this.formats = Set.copyOf(formats);
        this.catalog = catalog;
        this.endpoints = endpoints;
        this.queue = queue;
        this.addressPolicy = addressPolicy;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    public Endpoint register(PartnerId partner, EndpointChange c) {
        List<FieldError> errors = new ArrayList<>();
        if (c.url() == null) {
            errors.add(new FieldError("url", "is required"));
        }
        if (c.eventTypes() == null) {
            errors.add(new FieldError("event_types", "is required (use [\"*\"] for every type)"));
        }
        validate(c, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Instant now = Times.millis(clock.instant());
        Endpoint e = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                partner,
                c.url(),
                c.eventTypes(),
                c.description(),
                c.enabled() == null || c.enabled(),
                Signer.newSecret(random),
                now,
                now,
                new Endpoint.Limits(
                        c.maxInFlight() == null ? Endpoint.DEFAULT_MAX_IN_FLIGHT : c.maxInFlight(),
                        c.rateLimitPerSecond()),
                Endpoint.Health.OK,
                null,
                null,
                new Endpoint.Profile(
                        c.format(),
                        c.headers(),
                        null,
                        null,
                        Boolean.TRUE.equals(c.collapse()),
                        c.ordering(),
                        null,
                        Boolean.TRUE.equals(c.traceContext())),
                c.filter());
        endpoints.insert(e);
        return e;
    }

    public Endpoint update(PartnerId partner, EndpointId id, EndpointChange c) {
        List<FieldError> errors = new ArrayList<>();
        validate(c, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        Endpoint old = get(partner, id);
        if (c.format() != null
                && !c.format().equals(old.format())
                && Endpoint.ROLE_DEFAULT.equals(old.profile().role())) {
            throw new InvalidInputException(
                    "format",
                    "is fixed on the default " + old.format()
                            + " endpoint, which its compatibility settings route manages; create another endpoint for another format");
        }
        Instant now = Times.millis(clock.instant());
        Integer rate = c.clearRateLimit()
                ? null
                : c.rateLimitPerSecond() != null
                        ? c.rateLimitPerSecond()
                        : old.limits().ratePerSecond();
        Endpoint updated = new Endpoint(
                old.id(),
                partner,
                c.url() != null ? c.url() : old.url(),
                c.eventTypes() != null ? c.eventTypes() : old.eventTypes(),
                c.description() != null ? c.description() : old.description(),
                c.enabled() != null ? c.enabled() : old.enabled(),
                old.secret(),
                old.createdAt(),
                now,
                new Endpoint.Limits(
                        c.maxInFlight() != null ? c.maxInFlight() : old.limits().maxInFlight(), rate),
                old.health(),
                old.previousSecret(),
                old.previousSecretExpiresAt(),
                profile(old.profile(), c),
                c.filter() != null ? c.filter() : old.filter());
        if (!endpoints.update(partner, updated)) {
            throw notFound(id);
        }
        if (!old.enabled() && updated.enabled()) {
            // Re-enabled: what failed while it was down goes out again.
            Instant since =
                    firstNonNull(old.health().failingSince(), old.health().disabledAt(), old.updatedAt());
            queue.requeueFailed(partner, id, since, now);
        }
        return get(partner, id);
    }

    /**
     * The partner's default endpoint of a format: the one a provider-compatible settings route
     * (99digital setWebhook, 360dialog webhook_url) manages. There is at most one per format.
     */
    public Optional<Endpoint> findDefault(PartnerId partner, String format) {
        return endpoints.list(partner).stream()
                .filter(e -> Endpoint.ROLE_DEFAULT.equals(e.profile().role()) && format.equals(e.format()))
                .findFirst();
    }

    /**
     * Points the partner's default endpoint of {@code format} at {@code url}, creating it (every event
     * type, enabled) when there is none, and enabling it when it was disabled: a partner who sets its
     * webhook expects deliveries. The URL rules are those of any endpoint.
     */
    public Endpoint setDefault(PartnerId partner, String format, String url) {
        List<FieldError> errors = new ArrayList<>();
        if (url == null) {
            errors.add(new FieldError("url", "is required"));
        }
        validate(new EndpointChange(url, null, null, null, null, null, false, format, null), errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        var existing = findDefault(partner, format);
        if (existing.isPresent()) {
            return update(partner, existing.get().id(), new EndpointChange(url, null, null, true));
        }
        Instant now = Times.millis(clock.instant());
        Endpoint e = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                partner,
                url,
                List.of("*"),
                "Default " + format + " webhook (set through the " + format + "-compatible settings route)",
                true,
                Signer.newSecret(random),
                now,
                now,
                Endpoint.Limits.DEFAULT,
                Endpoint.Health.OK,
                null,
                null,
                new Endpoint.Profile(format, null, null, Endpoint.ROLE_DEFAULT));
        try {
            endpoints.insert(e);
            return e;
        } catch (RuntimeException raced) {
            // Two calls at once: the store keeps one default per format, so the loser updates the winner's.
            Endpoint winner = findDefault(partner, format).orElseThrow(() -> raced);
            return update(partner, winner.id(), new EndpointChange(url, null, null, true));
        }
    }

    public void delete(PartnerId partner, EndpointId id) {
        if (!endpoints.delete(partner, id, clock.instant())) {
            throw notFound(id);
        }
    }

    public Endpoint get(PartnerId partner, EndpointId id) {
        return endpoints.find(partner, id).orElseThrow(() -> notFound(id));
    }

    public List<Endpoint> list(PartnerId partner) {
        return endpoints.list(partner);
    }

    /** Parses a path id; junk and other partners' ids are both "not found". */
    public static EndpointId parseId(String raw) {
        if (!Ids.looksLike(raw, Ids.ENDPOINT)) {
            throw new NotFoundException("id", "no endpoint " + raw);
        }
        return new EndpointId(raw);
    }

    private static Endpoint.Profile profile(Endpoint.Profile old, EndpointChange c) {
        Endpoint.Profile p = old;
        if (c.format() != null) {
            p = p.withFormat(c.format());
        }
        if (c.headers() != null) {
            p = p.withHeaders(c.headers());
        }
        if (c.collapse() != null) {
            p = p.withCollapse(c.collapse());
        }
        if (c.ordering() != null) {
            p = p.withOrdering(c.ordering());
        }
        if (c.traceContext() != null) {
            p = p.withTraceContext(c.traceContext());
        }
        return p;
    }

    /** {@code ordering}, when given, is one of the names in {@link Endpoint.Profile#ORDERINGS}. */
    static void checkOrdering(String ordering, List<FieldError> errors) {
        if (ordering != null && !Endpoint.Profile.ORDERINGS.contains(ordering)) {
            errors.add(new FieldError("ordering", "must be none or ordered"));
        }
    }

    private static Instant firstNonNull(Instant... xs) {
        for (Instant x : xs) {
            if (x != null) {
                return x;
            }
        }
        return Instant.EPOCH;
    }

    private static NotFoundException notFound(EndpointId id) {
        return new NotFoundException("id", "no endpoint " + id);
    }

    /**
     * Empty when a well-formed pattern would receive at least one catalog type; a subscription to
     * nothing is almost always a typo, and it would fail silently (no event ever arrives).
     */
    private Optional<String> unknown(String pattern) {
        if (catalog.covers(pattern)) {
            return Optional.empty();
        }
        if (!pattern.endsWith("*") && !catalog.byPrefix(pattern).isEmpty()) {
            return Optional.of("is not an event type but a prefix of some; subscribe with " + pattern
                    + ".* to receive every type under it");
        }
        return Optional.of("names no event type in the catalog (GET /v1/event-types lists them)");
    }

    /**
     * The checks a subscription's {@code event_types} gets (well-formed, at most
     * {@link #MAX_EVENT_TYPES}, each reaching the catalog), for anything else that takes a list of
     * types the same way (a replay's narrowing).
     */
    public void checkEventTypes(List<String> types, List<FieldError> errors) {
        if (types.isEmpty()) {
            errors.add(new FieldError("event_types", "must list at least one type or pattern"));
        } else if (types.size() > MAX_EVENT_TYPES) {
            errors.add(new FieldError("event_types", "must list at most " + MAX_EVENT_TYPES + " entries"));
        } else {
            for (int i = 0; i < types.size(); i++) {
                int at = i;
                String pattern = types.get(i);
                EventTypeFilter.checkPattern(pattern)
                        .or(() -> unknown(pattern))
                        .ifPresent(why -> errors.add(new FieldError("event_types[" + at + "]", why)));
            }
        }
    }

    private void validate(EndpointChange c, List<FieldError> errors) {
        if (c.url() != null) {
            UrlRules.check(c.url(), addressPolicy).ifPresent(why -> errors.add(new FieldError("url", why)));
        }
        if (c.eventTypes() != null) {
            checkEventTypes(c.eventTypes(), errors);
        }
        if (c.maxInFlight() != null && (c.maxInFlight() < 1 || c.maxInFlight() > MAX_IN_FLIGHT_LIMIT)) {
            errors.add(new FieldError("max_in_flight", "must be from 1 to " + MAX_IN_FLIGHT_LIMIT));
        }
        if (c.rateLimitPerSecond() != null && (c.rateLimitPerSecond() < 1 || c.rateLimitPerSecond() > MAX_RATE_LIMIT)) {
            errors.add(new FieldError(
                    "rate_limit_per_second", "must be from 1 to " + MAX_RATE_LIMIT + ", or null for none"));
        }
        if (c.format() != null && !formats.contains(c.format())) {
            errors.add(new FieldError("format", "must be one of " + String.join(", ", new TreeSet<>(formats))));
        }
        if (c.headers() != null) {
            CustomHeaders.check("headers", c.headers(), errors);
        }
        checkOrdering(c.ordering(), errors);
        if (c.filter() != null) {
            errors.addAll(c.filter().problems("filter."));
        }
        if (c.description() != null && c.description().length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("description", "must be at most " + MAX_DESCRIPTION + " characters"));
        }
    }
}
