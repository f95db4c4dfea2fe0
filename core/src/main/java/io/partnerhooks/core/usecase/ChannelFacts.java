package io.partnerhooks.core.usecase;

import static io.partnerhooks.core.usecase.FactEvents.parse;
import static io.partnerhooks.core.usecase.FactEvents.text;
import static io.partnerhooks.core.usecase.RecordFacts.CHANNEL;
import static io.partnerhooks.core.usecase.RecordFacts.CLIENT;
import static io.partnerhooks.core.usecase.RecordFacts.checkId;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.channel.ChannelLifecycle;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.ConflictException;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore;
import io.partnerhooks.core.port.EntityStore.Emission;
import io.partnerhooks.core.port.EntityStore.Outcome;
import io.partnerhooks.core.port.PartnerStore;
import io.partnerhooks.core.usecase.RecordFacts.ChannelFields;
import io.partnerhooks.core.usecase.RecordFacts.Recorded;
import io.partnerhooks.core.usecase.RecordFacts.RefusedTransition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** 360dialog clients and channels with their lifecycle; behind {@link RecordFacts}. */
final class ChannelFacts {
    private final EntityStore entities;
    private final PartnerStore partners;
    private final EndpointStore endpoints;
    private final Clock clock;
    private final FactEvents shared;

    ChannelFacts(EntityStore entities, PartnerStore partners, EndpointStore endpoints, Clock clock, FactEvents shared) {
        this.entities = entities;
        this.partners = partners;
        this.endpoints = endpoints;
        this.clock = clock;
        this.shared = shared;
    }

    public Recorded upsertClient(String clientId, String partnerId, String name, ObjectNode contactInfo) {
        checkId(clientId, "client_id");
        PartnerId partner = existingPartner(partnerId);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("name", "is required, at most 200 characters");
        }
        Instant now = Times.millis(clock.instant());
        List<Endpoint> subscribers = endpoints.listEnabled(partner);
        ObjectNode[] result = new ObjectNode[1];
        List<Event> events = entities.change(
                CLIENT,
                clientId,
                current -> {
                    current.ifPresent(e -> requireOwner(e, partner, "client " + clientId));
                    ObjectNode next = JsonNodeFactory.instance.objectNode();
                    next.put("id", clientId);
                    next.put("name", name);
                    next.set("contact_info", contactInfo == null ? JsonNodeFactory.instance.objectNode() : contactInfo);
                    next.putNull("partner_payload");
                    next.put(
                            "created_at",
                            current.map(e -> parse(e.stateJson())
                                            .path("created_at")
                                            .asText())
                                    .orElse(Times.format(now)));
                    result[0] = next;
                    List<Emission> emit = current.isPresent()
                            ? List.of()
                            : List.of(shared.emission(
                                    partner,
                                    "client.created",
                                    Map.of("client_id", clientId),
                                    "client_id:" + clientId,
                                    JsonNodeFactory.instance.objectNode().set("client", next.deepCopy()),
                                    subscribers,
                                    now));
                    return new Outcome(new Entity(CLIENT, clientId, partner.value(), text(next)), emit);
                },
                now);
        return shared.done(result[0], events);
    }

    public Recorded upsertChannel(String channelId, ChannelFields f) {
        checkId(channelId, "channel_id");
        PartnerId partner = existingPartner(f.partnerId());
        checkId(f.clientId(), "client_id");
        if (f.phoneNumber() == null || !f.phoneNumber().matches("\\+?[0-9]{6,20}")) {
            throw new InvalidInputException("phone_number", "is required: 6 to 20 digits, optionally after a +");
        }
        if (f.phoneNumberId() != null) {
            checkId(f.phoneNumberId(), "phone_number_id");
        }
        if (f.wabaId() != null) {
            checkId(f.wabaId(), "waba_id");
        }
        Entity client = entities.findAny(CLIENT, f.clientId())
                .orElseThrow(() -> new InvalidInputException(
                        "client_id",
                        "no client " + f.clientId() + " (create it first with PUT /platform/v1/clients/{client_id})"));
        if (!client.partnerId().equals(partner.value())) {
            throw new InvalidInputException("client_id", "client " + f.clientId() + " belongs to another partner");
        }
        if (f.phoneNumberId() != null) {
            entities.channelByPhoneNumberId(f.phoneNumberId())
                    .filter(holder -> !holder.id().equals(channelId))
                    .ifPresent(holder -> {
                        throw new ConflictException(
                                "phone_number_id",
                                "phone_number_id " + f.phoneNumberId() + " belongs to channel " + holder.id());
                    });
        }
        if (f.wabaId() != null) {
            entities.claimHolder("waba_id", f.wabaId())
                    .filter(holder -> !holder.equals(partner.value()))
                    .ifPresent(holder -> {
                        throw new ConflictException(
                                "waba_id", "waba_id " + f.wabaId() + " belongs to partner " + holder);
                    });
        }
        Instant now = Times.millis(clock.instant());
        List<Endpoint> subscribers = endpoints.listEnabled(partner);
        ObjectNode[] result = new ObjectNode[1];
        List<Event> events = entities.change(
                CHANNEL,
                channelId,
                current -> {
                    current.ifPresent(e -> requireOwner(e, partner, "channel " + channelId));
                    ObjectNode ch = current.map(e -> parse(e.stateJson())).orElseGet(() -> newChannel(channelId, now));
                    ch.put("client_id", f.clientId());
                    ObjectNode setup = ch.with("setup_info");
                    setup.put("phone_number", f.phoneNumber());
                    if (f.phoneName() != null) {
                        setup.put("phone_name", f.phoneName());
                    }
                    if (f.phoneNumberId() != null) {
                        ch.put("phone_number_id", f.phoneNumberId());
                    }
                    if (f.wabaId() != null) {
                        ch.with("waba_account").put("id", f.wabaId());
                    }
                    if (f.accountMode() != null) {
                        ch.put("account_mode", f.accountMode());
                    }
                    ch.set("client", parse(client.stateJson()));
                    result[0] = ch;
                    List<Emission> emit = current.isPresent()
                            ? List.of()
                            : List.of(shared.emission(
                                    partner,
                                    "channel.created",
                                    Map.of("channel_id", channelId),
                                    "channel_id:" + channelId,
                                    ch.deepCopy(),
                                    subscribers,
                                    now));
                    // A WABA belongs to one partner: its id is claimed for this partner in the same transaction.
                    String waba = ch.path("waba_account").path("id").asText(null);
                    return new Outcome(
                            new Entity(CHANNEL, channelId, partner.value(), text(ch)),
                            emit,
                            waba == null ? List.of() : List.of(new EntityStore.Claim("waba_id", waba)));
                },
                now);
        return shared.done(result[0], events);
    }

    public Recorded transition(String channelId, String to) {
        checkId(channelId, "channel_id");
        if (to == null || !ChannelLifecycle.TARGETS.contains(to)) {
            throw new InvalidInputException(
                    "to",
                    (to == null ? "is required" : "'" + to + "' is not a transition") + ": one of "
                            + String.join(", ", ChannelLifecycle.TARGETS));
        }
        Entity existing = entities.findAny(CHANNEL, channelId)
                .orElseThrow(() -> new NotFoundException("channel_id", "no channel " + channelId));
        PartnerId partner = new PartnerId(existing.partnerId());
        Instant now = Times.millis(clock.instant());
        List<Endpoint> subscribers = endpoints.listEnabled(partner);
        ObjectNode[] result = new ObjectNode[1];
        List<Event> events = entities.change(
                CHANNEL,
                channelId,
                current -> {
                    ObjectNode ch = parse(current.orElseThrow().stateJson());
                    result[0] = ch;
                    ChannelLifecycle.State s = stateOf(ch);
                    return switch (ChannelLifecycle.apply(s, to)) {
                        case ChannelLifecycle.Result.NoOp n -> Outcome.unchanged();
                        case ChannelLifecycle.Result.Refused r ->
                            throw new RefusedTransition(r.why(), describe(s), r.allowed());
                        case ChannelLifecycle.Result.Moved m -> {
                            write(ch, m.next(), now);
                            ObjectNode data = ch.deepCopy();
                            m.extra().forEach((k, v) -> data.put(k, String.valueOf(v)));
                            result[0] = ch;
                            yield new Outcome(
                                    new Entity(CHANNEL, channelId, partner.value(), text(ch)),
                                    List.of(shared.emission(
                                            partner,
                                            m.eventType(),
                                            Map.of("channel_id", channelId),
                                            "channel_id:" + channelId,
                                            data,
                                            subscribers,
                                            now)));
                        }
                    };
                },
                now);
        return shared.done(result[0], events);
    }

    public Optional<ObjectNode> channel(PartnerId partner, String channelId) {
        return entities.find(partner, CHANNEL, channelId).map(e -> parse(e.stateJson()));
    }

    public List<ObjectNode> channels(PartnerId partner, int limit, String after) {
        List<ObjectNode> out = new ArrayList<>();
        for (Entity e : entities.list(partner, CHANNEL, limit, after)) {
            out.add(parse(e.stateJson()));
        }
        return out;
    }

    private static ObjectNode newChannel(String channelId, Instant now) {
        ObjectNode ch = JsonNodeFactory.instance.objectNode();
        ch.put("id", channelId);
        ch.putObject("setup_info");
        ch.put("status", "created");
        ch.put("account_mode", "sandbox");
        ch.put("created_at", Times.format(now));
        ch.putNull("billing_started_at");
        ch.putNull("cancelled_at");
        ch.putNull("terminated_at");
        ch.putObject("waba_account");
        ch.putObject("integration").put("enabled", true).put("hosting_platform_type", "cloud_api");
        ch.put("permission", (String) null);
        ch.put("cancellation", (String) null);
        ch.put("template_messaging_enabled", false);
        return ch;
    }

    private static ChannelLifecycle.State stateOf(ObjectNode ch) {
        return new ChannelLifecycle.State(
                ch.path("status").asText("created"),
                ch.path("permission").asText(null),
                !ch.path("billing_started_at").isNull()
                        && !ch.path("billing_started_at").isMissingNode(),
                ch.path("cancellation").asText(null),
                ch.path("template_messaging_enabled").asBoolean(false),
                ch.path("integration").path("hosting_platform_type").asText("cloud_api"));
    }

    private static void write(ObjectNode ch, ChannelLifecycle.State s, Instant now) {
        ch.put("status", s.status());
        ch.put("permission", s.permission());
        if (s.billingStarted() && ch.path("billing_started_at").isNull()) {
            ch.put("billing_started_at", Times.format(now));
        }
        ch.put("cancellation", s.cancellation());
        if ("completed".equals(s.cancellation())) {
            ch.put("cancelled_at", Times.format(now));
            ch.put("terminated_at", Times.format(now));
        }
        ch.put("template_messaging_enabled", s.templateMessaging());
        ch.with("integration").put("hosting_platform_type", s.hosting());
    }

    private static String describe(ChannelLifecycle.State s) {
        return s.status() + (s.cancellation() == null ? "" : " (cancellation " + s.cancellation() + ")");
    }

    private PartnerId existingPartner(String partnerId) {
        if (partnerId == null || !Ids.looksLike(partnerId, Ids.PARTNER)) {
            throw new InvalidInputException("partner_id", "is required: a partner id (ptn_...)");
        }
        PartnerId p = new PartnerId(partnerId);
        if (partners.find(p).isEmpty()) {
            throw new InvalidInputException("partner_id", "no such partner");
        }
        return p;
    }

    private static void requireOwner(Entity e, PartnerId partner, String what) {
        if (!e.partnerId().equals(partner.value())) {
            throw new InvalidInputException("partner_id", what + " belongs to another partner");
        }
    }
}
