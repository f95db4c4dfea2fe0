package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.error.NotFoundException;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageEndpoints;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.core.usecase.RecordFacts;
import io.partnerhooks.server.api.model.ChannelFactResponse;
import io.partnerhooks.server.api.model.ChannelListResponse;
import io.partnerhooks.server.api.model.ChannelRequest;
import io.partnerhooks.server.api.model.ChannelTransitionRequest;
import io.partnerhooks.server.api.model.MessagingWebhookRef;
import io.partnerhooks.server.api.model.MessagingWebhookRequest;
import io.partnerhooks.server.api.model.MessagingWebhookResponse;
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
        ChannelRequest body = Bodies.read(ctx, ChannelRequest.class);
        String channelId = ctx.pathParam("channel_id");
        var fields = body.fields();
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "channel.upsert",
                RecordFacts.CHANNEL,
                channelId,
                () -> changes.facts().upsertChannel(channelId, fields));
        Json.send(ctx, 200, new ChannelFactResponse(r.state(), changes.events(r.events())));
    }

    private void transition(Context ctx) {
        ChannelTransitionRequest body = Bodies.read(ctx, ChannelTransitionRequest.class);
        String channelId = ctx.pathParam("channel_id");
        RecordFacts.Recorded r = changes.audited(
                Actor.OPERATOR,
                "channel.transition",
                RecordFacts.CHANNEL,
                channelId,
                () -> changes.facts().transition(channelId, body.to()));
        Json.send(ctx, 200, new ChannelFactResponse(r.state(), changes.events(r.events())));
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
        List<JsonNode> data = page.subList(0, Math.min(limit, page.size())).stream()
                .<JsonNode>map(ch -> withWebhook(ch, webhooks.get(ch.path("id").asText())))
                .toList();
        String next = page.size() > limit ? page.get(limit - 1).path("id").asText() : null;
        Json.send(ctx, 200, new ChannelListResponse(data, next));
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
            out.set("messaging_webhook", Bodies.RECORDS.valueToTree(MessagingWebhookRef.of(webhook)));
        }
        return out;
    }

    private void setWebhook(Context ctx) {
        Partner p = Auth.partner(ctx);
        MessagingWebhookRequest body = Bodies.read(ctx, MessagingWebhookRequest.class);
        String channel = ctx.pathParam("channel_id");
        // validation and the handshake (network I/O) happen before the audited transaction opens
        ManageMessagingWebhook.Checked checked = webhooks.check(p.id(), channel, body.request());
        Endpoint e = audit.record(Actor.partner(p.id()), "channel_webhook.set", "channel", a -> {
            a.target(channel)
                    .before(webhooks.find(p.id(), channel)
                            .map(old -> webhookView(old, false))
                            .orElse(null));
            Endpoint set = webhooks.apply(checked);
            a.after(webhookView(set, false));
            return set;
        });
        Json.send(ctx, 200, MessagingWebhookResponse.of(e, true));
    }

    private void getWebhook(Context ctx) {
        Endpoint e = webhooks.get(Auth.partner(ctx).id(), ctx.pathParam("channel_id"));
        Json.send(ctx, 200, MessagingWebhookResponse.of(e, false));
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

    /**
     * The number's webhook as audit rows record it (here and on the dashboard); {@code withSecret}
     * false masks the custom header values and leaves the secret out.
     */
    public static ObjectNode webhookView(Endpoint e, boolean withSecret) {
        return Bodies.RECORDS.valueToTree(MessagingWebhookResponse.of(e, withSecret));
    }
}
