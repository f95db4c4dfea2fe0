package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.core.usecase.RecordFacts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Channels (a client's WhatsApp numbers): the platform reports them and their transitions
 * ({@code /platform/v1/channels}), a partner lists them and sets each number's messaging webhook
 * ({@code /v1/channels}).
 */
public final class ChannelRoutes implements RouteGroup {
    private final FactChanges changes;
    private final ManageEndpoints endpoints;
    private final ManageMessagingWebhook webhooks;
    private final AuditTrail audit;

    /** {@code endpoints}, {@code webhooks}: where the numbers' messaging webhooks shown with each channel are read. */
    public ChannelRoutes(
            RecordFacts facts,
            Consumer<String> published,
            AuditTrail audit,
            ManageEndpoints endpoints,
            ManageMessagingWebhook webhooks) {
        this.changes = new FactChanges(facts, published, audit);
        this.audit = audit;
        this.endpoints = endpoints;
        this.webhooks = webhooks;
    }

    @Override
    public void register(Routes r) {
        r.operator()
                .put("/platform/v1/channels/{channel_id}", this::upsertChannel)
                .post("/platform/v1/channels/{channel_id}/transitions", this::transition);
        r.partner()
                .get("/v1/channels", this::listChannels)
                .get("/v1/channels/{id}", this::getChannel)
                .put("/v1/channels/{channel_id}/webhook", this::setWebhook)
                .get("/v1/channels/{channel_id}/webhook", this::getWebhook)
                .delete("/v1/channels/{channel_id}/webhook", this::deleteWebhook);
    }

    private void upsertChannel(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(
                body,
                "partner_id",
                "client_id",
                "phone_number",
                "phone_name",
                "phone_number_id",
                "waba_id",
                "account_mode");
        String channelId = ctx.pathParam("channel_id");
        var fields = new RecordFacts.ChannelFields(
                Json.requiredString(body, "partner_id"),
                Json.requiredString(body, "client_id"),
                Json.optionalString(body, "phone_number"),
                Json.optionalString(body, "phone_name"),
                Json.optionalString(body, "phone_number_id"),
                Json.optionalString(body, "waba_id"),
                Json.optionalString(body, "account_mode"));
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "channel.upsert",
                RecordFacts.CHANNEL,
                channelId,
                () -> changes.facts().upsertChannel(channelId, fields));
        changes.send(ctx, r, "channel");
    }

    private void transition(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "to");
        String channelId = ctx.pathParam("channel_id");
        String to = Json.optionalString(body, "to");
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "channel.transition",
                RecordFacts.CHANNEL,
                channelId,
                () -> changes.facts().transition(channelId, to));
        changes.send(ctx, r, "channel");
    }

    private void listChannels(Context ctx) {
        int limit = Params.limit(ctx);
        var partner = Auth.partner(ctx).id();
        List<ObjectNode> page = changes.facts().channels(partner, limit + 1, ctx.queryParam("after"));
        // the partner's messaging webhooks, read once for the page
        Map<String, Endpoint> webhooks = new HashMap<>();
        for (var e : endpoints.list(partner)) {
            if (Endpoint.ROLE_MESSAGING.equals(e.profile().role())) {
                webhooks.put(e.profile().channelId(), e);
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.subList(0, Math.min(limit, page.size()))
                .forEach(ch ->
                        data.add(withWebhook(ch, webhooks.get(ch.path("id").asText()))));
        out.put(
                "next_cursor",
                page.size() > limit ? page.get(limit - 1).path("id").asText() : null);
        Json.send(ctx, 200, out);
    }

    private void getChannel(Context ctx) {
        String id = ctx.pathParam("id");
        var partner = Auth.partner(ctx).id();
        ObjectNode ch =
                changes.facts().channel(partner, id).orElseThrow(() -> new NotFoundException("id", "no channel " + id));
        Json.send(ctx, 200, withWebhook(ch, webhooks.find(partner, id).orElse(null)));
    }

    /** The channel with {@code messaging_webhook}: the number's webhook (URL, endpoint id, format), or null. */
    private static ObjectNode withWebhook(ObjectNode channel, Endpoint webhook) {
        ObjectNode out = channel.deepCopy();
        if (webhook == null) {
            out.putNull("messaging_webhook");
        } else {
            out.putObject("messaging_webhook")
                    .put("url", webhook.url())
                    .put("endpoint_id", webhook.id().value())
                    .put("format", webhook.format());
        }
        return out;
    }

    private void setWebhook(Context ctx) {
        Partner p = Auth.partner(ctx);
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "url", "headers", "verify_token", "ordering", "status_order");
        String channel = ctx.pathParam("channel_id");
        // validation and the handshake (network I/O) happen before the audited transaction opens
        ManageMessagingWebhook.Checked checked = webhooks.check(
                p.id(),
                channel,
                new ManageMessagingWebhook.Request(
                        Json.optionalString(body, "url"),
                        Json.optionalStringMap(body, "headers"),
                        Json.optionalString(body, "verify_token"),
                        Json.optionalString(body, "ordering"),
                        Json.optionalString(body, "status_order")));
        Endpoint e = audit.record(Actor.partner(p.id()), "channel_webhook.set", "channel", a -> {
            a.target(channel)
                    .before(webhooks.find(p.id(), channel)
                            .map(old -> webhookView(old, false))
                            .orElse(null));
            Endpoint set = webhooks.apply(checked);
            a.after(webhookView(set, false));
            return set;
        });
        Json.send(ctx, 200, webhookView(e, true));
    }

    private void getWebhook(Context ctx) {
        Json.send(ctx, 200, webhookView(webhooks.get(Auth.partner(ctx).id(), ctx.pathParam("channel_id")), false));
    }

    private void deleteWebhook(Context ctx) {
        Partner p = Auth.partner(ctx);
        String channel = ctx.pathParam("channel_id");
        audit.record(Actor.partner(p.id()), "channel_webhook.delete", "channel", a -> {
            a.target(channel).before(webhookView(webhooks.get(p.id(), channel), false));
            webhooks.delete(p.id(), channel);
            return null;
        });
        ctx.status(204);
    }

    /** The number's webhook; {@code withSecret} false masks the custom header values and leaves the secret out. */
    public static ObjectNode webhookView(Endpoint e, boolean withSecret) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("channel_id", e.profile().channelId());
        n.put("endpoint_id", e.id().value());
        n.put("url", e.url());
        ObjectNode headers = n.putObject("headers");
        e.profile().headers().forEach((k, v) -> headers.put(k, withSecret ? v : Views.MASK));
        n.put("format", e.format());
        n.put("ordering", e.profile().ordering());
        n.put("status_order", e.profile().statusOrder());
        n.put("state", e.state());
        if (withSecret) {
            n.put("secret", e.secret());
        }
        n.put("created_at", Times.format(e.createdAt()));
        n.put("updated_at", Times.format(e.updatedAt()));
        return n;
    }
}
