package io.partnerhooks.core.usecase;

import io.partnerhooks.core.address.AddressPolicy;
import io.partnerhooks.core.delivery.CloudApiFormat;
import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.core.domain.CustomHeaders;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.domain.UrlRules;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.InvalidInputException.FieldError;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.WebhookHandshake;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A phone number's messaging webhook: the one endpoint (format {@code cloud_api}) that receives
 * the number's share of Meta's callbacks. Setting it again replaces URL and headers and keeps the
 * secret, so a partner can move the URL without re-keying its receiver.
 */
public final class ManageMessagingWebhook {
    public static final int MAX_VERIFY_TOKEN = 200;

    /**
     * What a partner sets; {@code headers} null means none, {@code verifyToken} null means no
     * handshake, {@code ordering} and {@code statusOrder} null keep the webhook's ({@code none} and
     * {@code as_received} for a new one).
     */
    public record Request(
            String url, Map<String, String> headers, String verifyToken, String ordering, String statusOrder) {
        public Request(String url, Map<String, String> headers, String verifyToken, String ordering) {
            this(url, headers, verifyToken, ordering, null);
        }

        public Request(String url, Map<String, String> headers, String verifyToken) {
            this(url, headers, verifyToken, null);
        }
    }

    private final EntityStore entities;
    private final EndpointStore endpoints;
    private final AddressPolicy addressPolicy;
    private final WebhookHandshake handshake;
    private final IdGenerator ids;
    private final Clock clock;
    private final RandomGenerator random;

    public ManageMessagingWebhook(
            EntityStore entities,
            EndpointStore endpoints,
            AddressPolicy addressPolicy,
            WebhookHandshake handshake,
            IdGenerator ids,
            Clock clock,
            RandomGenerator random) {
        this.entities = entities;
        this.endpoints = endpoints;
        this.addressPolicy = addressPolicy;
        this.handshake = handshake;
        this.ids = ids;
        this.clock = clock;
        this.random = random;
    }

    /** A request that passed {@link #check}: valid, and the receiver answered the handshake if one was asked for. */
    public static final class Checked {
        private final PartnerId partner;
        private final ChannelId channelId;
        private final Request request;

        private Checked(PartnerId partner, ChannelId channelId, Request request) {
            this.partner = partner;
            this.channelId = channelId;
            this.request = request;
        }
    }

    /** Creates or replaces the number's webhook; the answer holds the secret. */
    public Endpoint set(PartnerId partner, String channelId, Request r) {
        return apply(check(partner, channelId, r));
    }

    /**
     * Validates the request and performs the handshake (network I/O), writing nothing: callers that
     * wrap the change in a transaction (the audit trail) run this first, outside it.
     */
    public Checked check(PartnerId partner, String channelId, Request r) {
        ChannelId channel = requireChannel(partner, channelId);
        List<FieldError> errors = new ArrayList<>();
        if (r.url() == null) {
            errors.add(new FieldError("url", "is required"));
        } else {
            UrlRules.check(r.url(), addressPolicy).ifPresent(why -> errors.add(new FieldError("url", why)));
        }
        Map<String, String> headers = r.headers() == null ? Map.of() : r.headers();
        CustomHeaders.check("headers", headers, errors);
        ManageEndpoints.checkOrdering(r.ordering(), errors);
        if (r.verifyToken() != null
                && (r.verifyToken().isEmpty() || r.verifyToken().length() > MAX_VERIFY_TOKEN)) {
            errors.add(new FieldError("verify_token", "must be 1 to " + MAX_VERIFY_TOKEN + " characters"));
        }
        if (r.statusOrder() != null
                && !Endpoint.Profile.AS_RECEIVED.equals(r.statusOrder())
                && !Endpoint.Profile.MONOTONIC.equals(r.statusOrder())) {
            errors.add(new FieldError("status_order", "must be \"as_received\" or \"monotonic\""));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (r.verifyToken() != null) {
            String challenge = Long.toString(1_000_000_000L + Math.floorMod(random.nextLong(), 8_999_999_999L));
            handshake.verify(r.url(), r.verifyToken(), challenge).ifPresent(why -> {
                throw new InvalidInputException(List.of(
                        new FieldError("verify_token", "the handshake with url failed: " + why),
                        new FieldError("url", "did not echo hub.challenge for hub.verify_token: " + why)));
            });
        }
        return new Checked(partner, channel, r);
    }

    /** Stores a checked request: creates the number's webhook, or replaces its URL and headers keeping the secret. */
    public Endpoint apply(Checked checked) {
        PartnerId partner = checked.partner;
        ChannelId channelId = checked.channelId;
        Request r = checked.request;
        requireChannel(partner, channelId.value());
        Map<String, String> headers = r.headers() == null ? Map.of() : r.headers();
        Instant now = Times.millis(clock.instant());
        Optional<Endpoint> old = endpoints.findMessaging(partner, channelId);
        String ordering = r.ordering() != null
                ? r.ordering()
                : old.map(o -> o.profile().ordering()).orElse(Endpoint.Profile.ORDERING_NONE);
        String statusOrder = r.statusOrder() != null
                ? r.statusOrder()
                : old.map(o -> o.profile().statusOrder()).orElse(Endpoint.Profile.AS_RECEIVED);
        Endpoint.Profile profile = new Endpoint.Profile(
                CloudApiFormat.NAME, headers, channelId.value(), Endpoint.ROLE_MESSAGING, false, ordering, statusOrder);
        if (old.isPresent()) {
            Endpoint o = old.get();
            Endpoint updated = new Endpoint(
                    o.id(),
                    partner,
                    r.url(),
                    List.of(),
                    o.description(),
                    true,
                    o.secret(),
                    o.createdAt(),
                    now,
                    o.limits(),
                    o.health(),
                    o.previousSecret(),
                    o.previousSecretExpiresAt(),
                    profile);
            endpoints.update(partner, updated);
            return updated;
        }
        Endpoint e = new Endpoint(
                new EndpointId(ids.next(Ids.ENDPOINT)),
                partner,
                r.url(),
                List.of(),
                "messaging webhook of " + channelId,
                true,
                Signer.newSecret(random),
                now,
                now,
                Endpoint.Limits.DEFAULT,
                Endpoint.Health.OK,
                null,
                null,
                profile);
        endpoints.insert(e);
        return e;
    }

    /** The number's webhook if it has one (the channel is not checked). */
    public Optional<Endpoint> find(PartnerId partner, String channelId) {
        return ChannelId.parse(channelId).flatMap(id -> endpoints.findMessaging(partner, id));
    }

    public Endpoint get(PartnerId partner, String channelId) {
        return endpoints
                .findMessaging(partner, requireChannel(partner, channelId))
                .orElseThrow(() ->
                        new NotFoundException("channel_id", "channel " + channelId + " has no messaging webhook"));
    }

    public void delete(PartnerId partner, String channelId) {
        Endpoint e = get(partner, channelId);
        endpoints.delete(partner, e.id(), Times.millis(clock.instant()));
    }

    /** The partner's channel with this id, or a 404 (for another partner's channel too). */
    private ChannelId requireChannel(PartnerId partner, String channelId) {
        return ChannelId.parse(channelId)
                .filter(id ->
                        entities.find(partner, RecordFacts.CHANNEL, id.value()).isPresent())
                .orElseThrow(() -> new NotFoundException("channel_id", "no channel " + channelId));
    }
}
