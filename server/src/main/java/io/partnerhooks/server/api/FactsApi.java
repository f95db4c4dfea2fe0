package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.id.ChannelId;
import io.partnerhooks.core.port.EntityStore.Entity;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.RecordFacts;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.List;

/** WhatsApp accounts, Public API tokens, clients and channels. */
public final class FactsApi {
    private final RecordFacts facts;

    private final java.util.function.Consumer<String> published;

    private final AuditTrail audit;
    private final io.partnerhooks.core.port.EndpointStore endpoints;

    /** {@code endpoints}: where the numbers' messaging webhooks shown with each channel are read. */
    public FactsApi(RecordFacts facts, java.util.function.Consumer<String> published, AuditTrail audit,
            io.partnerhooks.core.port.EndpointStore endpoints) {
        this.endpoints = endpoints;
        this.audit = audit;
        this.facts = facts;
        this.published = published;
    }

    public void register(RoutesConfig r) {
        r.post("/platform/v1/workspaces/{workspace_id}/whatsapp-accounts/{account_id}/connected", ctx -> account(ctx, true));
        r.post("/platform/v1/workspaces/{workspace_id}/whatsapp-accounts/{account_id}/disconnected", ctx -> account(ctx, false));
        r.post("/v1/workspaces/{id}/api-token/rotate", this::rotateToken);
        r.put("/platform/v1/clients/{client_id}", this::upsertClient);
        r.put("/platform/v1/channels/{channel_id}", this::upsertChannel);
        r.post("/platform/v1/channels/{channel_id}/transitions", this::transition);
        r.get("/v1/channels", this::listChannels);
        r.get("/v1/channels/{id}", this::getChannel);
    }

    private void account(Context ctx, boolean connected) {
        ObjectNode body = ctx.bodyAsBytes().length == 0 ? Json.MAPPER.createObjectNode() : Json.object(ctx);
        Json.onlyFields(body, "phone_number", "user_id", "reason");
        String ws = ctx.pathParam("workspace_id");
        String account = ctx.pathParam("account_id");
        RecordFacts.Recorded r = audited(Actor.OPERATOR, connected ? "whatsapp_account.connect" : "whatsapp_account.disconnect",
                RecordFacts.ACCOUNT, ws + "/" + account, () -> facts.whatsappAccount(ws, account, connected,
                        Json.optionalString(body, "phone_number"), Json.optionalString(body, "user_id"),
                        Json.optionalString(body, "reason")));
        send(ctx, r, "whatsapp_account");
    }

    private void rotateToken(Context ctx) {
        var partner = Auth.partner(ctx).id();
        String ws = ctx.pathParam("id");
        RecordFacts.RotatedToken t = audited(Actor.partner(partner), "workspace.api_token_rotate", RecordFacts.TOKEN, ws,
                () -> facts.rotateApiToken(partner, ws));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("workspace_id", ctx.pathParam("id"));
        out.put("token", t.token());
        out.put("rotated_at", Times.format(t.rotatedAt()));
        out.set("events", ids(t.events()));
        Json.send(ctx, 200, out);
    }

    private void upsertClient(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "partner_id", "name", "contact_info");
        JsonNode contact = body.get("contact_info");
        if (contact != null && !contact.isNull() && !contact.isObject()) {
            throw new InvalidInputException("contact_info", "must be a JSON object");
        }
        String clientId = ctx.pathParam("client_id");
        String partnerId = Json.requiredString(body, "partner_id");
        RecordFacts.Recorded r = audited(Actor.OPERATOR, "client.upsert", RecordFacts.CLIENT, clientId,
                () -> facts.upsertClient(clientId, partnerId, Json.optionalString(body, "name"),
                        contact == null || contact.isNull() ? null : (ObjectNode) contact));
        send(ctx, r, "client");
    }

    private void upsertChannel(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "partner_id", "client_id", "phone_number", "phone_name", "phone_number_id", "waba_id",
                "account_mode");
        String channelId = ctx.pathParam("channel_id");
        var fields = new RecordFacts.ChannelFields(
                Json.requiredString(body, "partner_id"), Json.requiredString(body, "client_id"),
                Json.optionalString(body, "phone_number"), Json.optionalString(body, "phone_name"),
                Json.optionalString(body, "phone_number_id"), Json.optionalString(body, "waba_id"),
                Json.optionalString(body, "account_mode"));
        RecordFacts.Recorded r = audited(Actor.OPERATOR, "channel.upsert", RecordFacts.CHANNEL, channelId,
                () -> facts.upsertChannel(channelId, fields));
        send(ctx, r, "channel");
    }

    private void transition(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "to");
        String channelId = ctx.pathParam("channel_id");
        String to = Json.optionalString(body, "to");
        RecordFacts.Recorded r = audited(Actor.OPERATOR, "channel.transition", RecordFacts.CHANNEL, channelId,
                () -> facts.transition(channelId, to));
        send(ctx, r, "channel");
    }

    /**
     * Runs a fact change with its audit row: the stored state before and after, and no row when the
     * report repeated the current state (a no-op).
     */
    private <T> T audited(Actor actor, String action, String kind, String id, Supplier<T> change) {
        return audit.record(actor, action, kind, a -> {
            Optional<Entity> before = facts.current(kind, id);
            before.ifPresent(e -> a.before(Json.parse(e.stateJson())));
            T result = change.get();
            Optional<Entity> after = facts.current(kind, id);
            a.target(id);
            after.ifPresent(e -> a.owner(e.partnerId()).after(Json.parse(e.stateJson())));
            if (before.map(Entity::stateJson).equals(after.map(Entity::stateJson))) {
                a.nothingChanged();
            }
            return result;
        });
    }

    private void listChannels(Context ctx) {
        int limit = PartnerApi.limit(ctx);
        var partner = Auth.partner(ctx).id();
        List<ObjectNode> page = facts.channels(partner, limit + 1, ctx.queryParam("after"));
        // the partner's messaging webhooks, read once for the page
        java.util.Map<String, io.partnerhooks.core.domain.Endpoint> webhooks = new java.util.HashMap<>();
        for (var e : endpoints.list(partner)) {
            if (io.partnerhooks.core.domain.Endpoint.ROLE_MESSAGING.equals(e.profile().role())) {
                webhooks.put(e.profile().channelId(), e);
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.subList(0, Math.min(limit, page.size()))
                .forEach(ch -> data.add(withWebhook(ch, webhooks.get(ch.path("id").asText()))));
        out.put("next_cursor", page.size() > limit ? page.get(limit - 1).path("id").asText() : null);
        Json.send(ctx, 200, out);
    }

    private void getChannel(Context ctx) {
        String id = ctx.pathParam("id");
        var partner = Auth.partner(ctx).id();
        ObjectNode ch = facts.channel(partner, id)
                .orElseThrow(() -> new NotFoundException("id", "no channel " + id));
        Json.send(ctx, 200, withWebhook(ch, endpoints.findMessaging(partner, new ChannelId(id)).orElse(null)));
    }

    /** The channel with {@code messaging_webhook}: the number's webhook (URL, endpoint id, format), or null. */
    private static ObjectNode withWebhook(ObjectNode channel, io.partnerhooks.core.domain.Endpoint webhook) {
        ObjectNode out = channel.deepCopy();
        if (webhook == null) {
            out.putNull("messaging_webhook");
        } else {
            out.putObject("messaging_webhook").put("url", webhook.url()).put("endpoint_id", webhook.id().value())
                    .put("format", webhook.format());
        }
        return out;
    }

    private void send(Context ctx, RecordFacts.Recorded r, String name) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set(name, r.state());
        out.set("events", ids(r.events()));
        Json.send(ctx, 200, out);
    }

    private ArrayNode ids(List<Event> events) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        events.forEach(e -> {
            published.accept(e.type());
            arr.addObject().put("id", e.id().value()).put("type", e.type());
        });
        return arr;
    }
}
