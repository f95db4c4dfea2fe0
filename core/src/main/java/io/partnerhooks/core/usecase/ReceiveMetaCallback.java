package io.partnerhooks.core.usecase;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.catalog.EventCatalog;
import io.partnerhooks.core.delivery.CloudApiFormat;
import io.partnerhooks.core.delivery.FreshDeliveries;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Entity;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.domain.InboxCallback.Status;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.id.DeliveryId;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.id.PartnerId;
import io.partnerhooks.core.meta.MetaCallback;
import io.partnerhooks.core.meta.MetaEvents;
import io.partnerhooks.core.port.EndpointStore;
import io.partnerhooks.core.port.EntityStore.Emission;
import io.partnerhooks.core.port.EventStore;
import io.partnerhooks.core.port.MetaInbox;
import io.partnerhooks.core.port.MetaInbox.Relay;
import io.partnerhooks.core.port.Tracing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verified Meta callback in: kept as received, split per phone number, each messaging change
 * relayed to that number's messaging webhook unless it was relayed before, each WhatsApp Business
 * Account change turned into the catalog's partner event for the partner owning the account. One
 * transaction; the caller answers Meta only after it.
 *
 * <p>Relays are events too (type from the catalog, e.g. {@code message.received}, so they appear
 * in the partner's event log), but their only delivery is the number's messaging webhook: ordinary
 * endpoints subscribed to {@code message.*} do not receive them. A number with no (enabled)
 * messaging webhook still gets the event logged, with nothing to deliver.
 */
public final class ReceiveMetaCallback {
    public static final String CALLBACK_PREFIX = "mcb_";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What came of one callback. */
    public record Received(
            String callbackId,
            Status status,
            int changes,
            int relayed,
            int duplicates,
            int unroutable,
            List<Event> events,
            int superseded) {
        public Received(
                String callbackId,
                Status status,
                int changes,
                int relayed,
                int duplicates,
                int unroutable,
                List<Event> events) {
            this(callbackId, status, changes, relayed, duplicates, unroutable, events, 0);
        }
    }

    private final MetaInbox inbox;
    private final EndpointStore endpoints;
    private final EventCatalog catalog;
    private final IdGenerator ids;
    private final Emitter emitter;
    private final Clock clock;
    private final Runnable wake;
    private final FreshDeliveries fresh;
    private Tracing tracing = Tracing.NONE;

    /** Keeps the current (callback) span's context with each relay, so its attempts link back (ADR 15). */
    public ReceiveMetaCallback tracing(Tracing t) {
        this.tracing = t;
        return this;
    }

    public ReceiveMetaCallback(
            MetaInbox inbox,
            EndpointStore endpoints,
            EventCatalog catalog,
            IdGenerator ids,
            Clock clock,
            Runnable wake) {
        this(inbox, endpoints, catalog, ids, clock, wake, FreshDeliveries.NONE);
    }

    /** With {@code fresh}, relays and events with a free slot on this node are sent right after the commit. */
    public ReceiveMetaCallback(
            MetaInbox inbox,
            EndpointStore endpoints,
            EventCatalog catalog,
            IdGenerator ids,
            Clock clock,
            Runnable wake,
            FreshDeliveries fresh) {
        this.fresh = fresh;
        this.inbox = inbox;
        this.endpoints = endpoints;
        this.catalog = catalog;
        this.ids = ids;
        this.emitter = new Emitter(ids);
        this.clock = clock;
        this.wake = wake;
    }

    public Received receive(byte[] body) {
        Instant now = Times.millis(clock.instant());
        String id = ids.next(CALLBACK_PREFIX);
        String text = new String(body, StandardCharsets.UTF_8);
        Optional<MetaCallback> parsed = MetaCallback.parse(body);
        if (parsed.isEmpty()) {
            // Signed by Meta but not a callback we understand: kept for the operator, never retried into a loop.
            inbox.save(new InboxCallback(id, now, text, Status.INVALID, 0, 0, 0, 0), List.of(), List.of());
            return new Received(id, Status.INVALID, 0, 0, 0, 0, List.of());
        }
        MetaCallback cb = parsed.get();
        Lookups look = new Lookups();
        List<Relay> relays = new ArrayList<>();
        List<MetaInbox.AccountEvent> partnerEvents = new ArrayList<>();
        int changes = 0;
        int unroutable = 0;
        for (MetaCallback.Entry entry : cb.entries()) {
            for (MetaCallback.Change change : entry.changes()) {
                changes++;
                if (change.value() == null || !change.value().isObject()) {
                    unroutable++;
                    continue;
                }
                String envelope = cb.envelope(entry, List.of(change));
                if (MetaEvents.isMessaging(change.field())) {
                    Optional<Entity> channel = look.channel(MetaEvents.phoneNumberId(change.value()));
                    if (channel.isEmpty()) {
                        unroutable++;
                        continue;
                    }
                    relays.add(relay(channel.get(), look, entry, change, envelope, now));
                } else {
                    Optional<Entity> channel = look.waba(entry.id());
                    if (channel.isEmpty()) {
                        unroutable++;
                        continue;
                    }
                    partnerEvents.add(new MetaInbox.AccountEvent(
                            entry.id(),
                            MetaEvents.accountKey(entry.id(), change),
                            partnerEvent(channel.get(), look, entry.id(), change, envelope, now)));
                }
            }
        }
        Status status = unroutable == 0 ? Status.ROUTED : unroutable == changes ? Status.UNROUTABLE : Status.PARTIAL;
        MetaInbox.Saved saved;
        try {
            saved = inbox.save(
                    new InboxCallback(id, now, text, status, changes, 0, 0, unroutable), relays, partnerEvents);
        } catch (RuntimeException e) {
            look.reservations.values().forEach(FreshDeliveries.Reservation::cancel);
            throw e;
        }
        boolean queued = false;
        for (Event e : saved.events()) {
            FreshDeliveries.Reservation res = look.reservations.remove(e.id());
            if (res != null && saved.heldBack().contains(e.id())) {
                // a monotonic webhook's status that came too late: written as superseded, not sent
                res.cancel();
            } else if (res != null) {
                res.start(e);
                for (var d : res.deliveries()) {
                    queued |= d.leaseToken() == null;
                }
            }
        }
        // what was not written (a redelivered message) gives its slots back
        look.reservations.values().forEach(FreshDeliveries.Reservation::cancel);
        if (queued) {
            wake.run();
        }
        return new Received(
                id,
                status,
                changes,
                saved.relayed(),
                saved.duplicates(),
                unroutable,
                saved.events(),
                saved.superseded());
    }

    private Relay relay(
            Entity channel,
            Lookups look,
            MetaCallback.Entry entry,
            MetaCallback.Change change,
            String envelope,
            Instant now) {
        PartnerId partner = new PartnerId(channel.partnerId());
        MetaEvents.Mapped m = MetaEvents.messaging(change, entry.id(), now);
        Event untraced = new Event(
                new EventId(ids.next(Ids.EVENT)),
                partner,
                m.type(),
                subject(channel),
                withBody(m.data(), envelope),
                now,
                null,
                conversationKey(m.data(), channel),
                0);
        Event e = tracing.enabled() ? untraced.withTraceContext(tracing.currentContext()) : untraced;
        List<EventStore.NewDelivery> deliveries = new ArrayList<>();
        List<Endpoint> targets = new ArrayList<>();
        look.messagingEndpoint(partner, channel.id()).filter(Endpoint::enabled).ifPresent(ep -> {
            var d = new EventStore.NewDelivery(new DeliveryId(ids.next(Ids.DELIVERY)), ep.id());
            // an ordered messaging webhook gets each conversation's relays one at a time, in order
            deliveries.add(ep.profile().ordered() ? d.orderedBy(e.subjectKey()) : d);
            targets.add(ep);
        });
        return new Relay(
                channel.id(), MetaEvents.dedupeKeys(change), e, look.reserve(e, deliveries, targets), statuses(change));
    }

    /** The message statuses a change carries ({@code value.statuses[]}: id and status), for monotonic webhooks. */
    static List<MetaInbox.StatusMark> statuses(MetaCallback.Change change) {
        List<MetaInbox.StatusMark> out = new ArrayList<>();
        for (JsonNode s : change.value().path("statuses")) {
            String status = s.path("status").asText(null);
            out.add(new MetaInbox.StatusMark(
                    s.path("id").asText(""), status, s.hasNonNull("id") ? MetaInbox.StatusMark.rankOf(status) : 0));
        }
        return out;
    }

    /**
     * A relay's ordering key: the conversation, {@code phone_number_id:N+wa_id:C}, so one busy
     * number is many independent streams. A change with no customer in it (a history chunk, an
     * app state sync) is ordered per number; one with no number id, per channel.
     */
    static String conversationKey(ObjectNode data, Entity channel) {
        String number = data.path("phone_number_id").asText("");
        if (number.isEmpty()) {
            return "channel_id:" + channel.id();
        }
        String customer = data.path("contact").path("wa_id").asText("");
        // a status names the customer as recipient_id, an echo as to (from is the business), a message as from
        for (String f : List.of("recipient_id", "to", "from", "old_wa_id")) {
            if (!customer.isEmpty()) {
                break;
            }
            customer = data.path(f).asText("");
        }
        return "phone_number_id:" + number + (customer.isEmpty() ? "" : "+wa_id:" + customer);
    }

    private Emission partnerEvent(
            Entity channel, Lookups look, String wabaId, MetaCallback.Change change, String envelope, Instant now) {
        PartnerId partner = new PartnerId(channel.partnerId());
        MetaEvents.Mapped m = MetaEvents.waba(change.field(), change.value(), wabaId);
        if (!catalog.validate(m.type(), m.data()).isEmpty()) {
            // Meta shaped this value differently from what our schema for the type expects: still
            // the partner's, as the catch-all type with the value unchanged.
            m = MetaEvents.fallback(change.field(), change.value(), wabaId);
        }
        String phone = change.value().path("display_phone_number").asText(null);
        List<Endpoint> subscribers = look.subscribers(partner);
        String subject = subjectWaba(wabaId, phone);
        Emitter.Emitted e = emitter.emit(
                partner,
                m.type(),
                subject,
                orderingKey(m.type(), subject),
                withBody(m.data(), envelope),
                now,
                null,
                subscribers,
                catalog.collapsible(m.type()));
        Map<EndpointId, Endpoint> byId = new HashMap<>();
        subscribers.forEach(ep -> byId.put(ep.id(), ep));
        List<Endpoint> targets =
                e.deliveries().stream().map(d -> byId.get(d.endpointId())).toList();
        return new Emission(e.event(), look.reserve(e.event(), e.deliveries(), targets));
    }

    private String orderingKey(String type, String subjectJson) {
        try {
            return catalog.orderingKey(type, JSON.readTree(subjectJson));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The data as JSON text with the Cloud API body appended verbatim as its last member. */
    static String withBody(ObjectNode data, String envelope) {
        data.remove(CloudApiFormat.MEMBER);
        String summary = text(data);
        return summary.substring(0, summary.length() - 1) + (data.isEmpty() ? "" : ",") + "\"" + CloudApiFormat.MEMBER
                + "\":" + envelope + "}";
    }

    private static String subject(Entity channel) {
        ObjectNode s = JSON.createObjectNode();
        s.put("channel_id", channel.id());
        try {
            String phone = JSON.readTree(channel.stateJson())
                    .path("setup_info")
                    .path("phone_number")
                    .asText(null);
            if (phone != null) {
                s.put("phone_number", phone);
            }
        } catch (JsonProcessingException e) {
            // no phone number in the subject then
        }
        return text(s);
    }

    private static String subjectWaba(String wabaId, String phone) {
        ObjectNode s = JSON.createObjectNode();
        s.put("waba_id", wabaId);
        if (phone != null) {
            s.put("phone_number", phone);
        }
        return text(s);
    }

    private static String text(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lookups made once per callback, however many changes name the same number or account. */
    private final class Lookups {
        private final Map<String, Optional<Entity>> byNumber = new HashMap<>();
        private final Map<String, Optional<Entity>> byWaba = new HashMap<>();
        private final Map<String, Optional<Endpoint>> messaging = new HashMap<>();
        private final Map<PartnerId, List<Endpoint>> subscribers = new LinkedHashMap<>();
        /** Send slots held for each event's deliveries until the callback is committed. */
        private final Map<EventId, FreshDeliveries.Reservation> reservations = new HashMap<>();

        List<EventStore.NewDelivery> reserve(Event e, List<EventStore.NewDelivery> deliveries, List<Endpoint> targets) {
            if (deliveries.isEmpty()) {
                return deliveries;
            }
            FreshDeliveries.Reservation r = fresh.reserve(deliveries, targets);
            reservations.put(e.id(), r);
            return r.deliveries();
        }

        Optional<Entity> channel(String phoneNumberId) {
            return phoneNumberId == null
                    ? Optional.empty()
                    : byNumber.computeIfAbsent(phoneNumberId, inbox::channelByPhoneNumberId);
        }

        Optional<Entity> waba(String wabaId) {
            return wabaId == null ? Optional.empty() : byWaba.computeIfAbsent(wabaId, inbox::channelByWabaId);
        }

        Optional<Endpoint> messagingEndpoint(PartnerId partner, String channelId) {
            return messaging.computeIfAbsent(channelId, c -> endpoints.findMessaging(partner, new ChannelId(c)));
        }

        List<Endpoint> subscribers(PartnerId partner) {
            return subscribers.computeIfAbsent(partner, endpoints::listEnabled);
        }
    }
}
