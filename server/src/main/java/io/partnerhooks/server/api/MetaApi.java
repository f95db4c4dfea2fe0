package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.domain.Times;
import io.partnerhooks.core.meta.MetaSignature;
import io.partnerhooks.core.usecase.AuditTrail;
import io.partnerhooks.core.usecase.AuditTrail.Actor;
import io.partnerhooks.core.usecase.ManageMessagingWebhook;
import io.partnerhooks.core.usecase.ReadMetaInbox;
import io.partnerhooks.core.usecase.ReceiveMetaCallback;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Meta inbound ({@code /meta/webhook}: the verification handshake and signed callbacks), the
 * operator's view of callbacks nobody could take, and the partner's per-number messaging webhooks.
 */
public final class MetaApi {
    /** Meta's own limit for a callback; this route takes that much whatever the general body limit is. */
    public static final int MAX_CALLBACK_BYTES = 3 * 1024 * 1024;

    private final ReceiveMetaCallback receive;
    private final ReadMetaInbox inbox;
    private final ManageMessagingWebhook webhooks;
    private final String verifyToken;
    private final String appSecret;
    private final Runnable counted;
    private final IntConsumer unroutable;
    private final IntConsumer superseded;
    private final AuditTrail audit;

    public MetaApi(ReceiveMetaCallback receive, ReadMetaInbox inbox, ManageMessagingWebhook webhooks, String verifyToken,
            String appSecret, Runnable counted, IntConsumer unroutable, AuditTrail audit) {
        this(receive, inbox, webhooks, verifyToken, appSecret, counted, unroutable, audit, n -> {});
    }

    /** {@code superseded} hears how many pending deliveries a callback's account events superseded (metrics). */
    public MetaApi(ReceiveMetaCallback receive, ReadMetaInbox inbox, ManageMessagingWebhook webhooks, String verifyToken,
            String appSecret, Runnable counted, IntConsumer unroutable, AuditTrail audit, IntConsumer superseded) {
        this.superseded = superseded;
        this.audit = audit;
        this.receive = receive;
        this.inbox = inbox;
        this.webhooks = webhooks;
        this.verifyToken = verifyToken;
        this.appSecret = appSecret;
        this.counted = counted;
        this.unroutable = unroutable;
    }

    private RouteSpans spans = RouteSpans.NONE;

    /** A span around each Meta callback (ADR 15). */
    public MetaApi withSpans(RouteSpans s) {
        this.spans = s;
        return this;
    }

    public void register(RoutesConfig r) {
        r.get("/meta/webhook", this::handshake);
        r.post("/meta/webhook", spans.around("POST /meta/webhook", this::callback));
        r.get("/platform/v1/meta/unroutable", this::listUnroutable);
        r.put("/v1/channels/{channel_id}/webhook", this::setWebhook);
        r.get("/v1/channels/{channel_id}/webhook", this::getWebhook);
        r.delete("/v1/channels/{channel_id}/webhook", this::deleteWebhook);
    }

    private void handshake(Context ctx) {
        if (verifyToken == null) {
            throw new Problems.ProblemException(503, "meta-not-configured",
                    "Meta inbound is off: set PARTNERHOOKS_META_VERIFY_TOKEN", null);
        }
        String mode = ctx.queryParam("hub.mode");
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        boolean ok = "subscribe".equals(mode) && token != null && challenge != null
                && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), verifyToken.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new Problems.ProblemException(403, "forbidden",
                    "hub.mode must be subscribe and hub.verify_token must match", "hub.verify_token");
        }
        ctx.status(200).contentType("text/plain; charset=utf-8").result(challenge);
    }

    private void callback(Context ctx) throws IOException {
        if (appSecret == null) {
            throw new Problems.ProblemException(503, "meta-not-configured",
                    "Meta inbound is off: set PARTNERHOOKS_META_APP_SECRET", null);
        }
        byte[] body = readLimited(ctx);
        if (!MetaSignature.verify(appSecret, body, ctx.header("X-Hub-Signature-256"))) {
            throw new Problems.ProblemException(401, "unauthorized",
                    ctx.header("X-Hub-Signature-256") == null ? "missing X-Hub-Signature-256"
                            : "X-Hub-Signature-256 does not match the body", "X-Hub-Signature-256");
        }
        ReceiveMetaCallback.Received r = receive.receive(body);
        counted.run();
        unroutable.accept(r.unroutable());
        superseded.accept(r.superseded());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", r.callbackId());
        out.put("status", r.status().wire());
        out.put("changes", r.changes());
        out.put("relayed", r.relayed());
        out.put("duplicates", r.duplicates());
        out.put("unroutable", r.unroutable());
        Json.send(ctx, 200, out);
    }

    /** The raw body, refused with 413 past {@link #MAX_CALLBACK_BYTES} (read from the socket, not Javalin's limit). */
    private static byte[] readLimited(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > MAX_CALLBACK_BYTES) {
                // A sender slightly over the limit still gets to read its 413: the rest of its body is
                // read and dropped first, since answering mid-upload resets the connection under it.
                // Far larger uploads are cut off at once.
                if (declared <= 2L * MAX_CALLBACK_BYTES) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                throw tooLarge();
            }
            byte[] b = in.readNBytes(MAX_CALLBACK_BYTES + 1);
            if (b.length > MAX_CALLBACK_BYTES) {
                throw tooLarge();
            }
            return b;
        }
    }

    private static Problems.ProblemException tooLarge() {
        return new Problems.ProblemException(413, "payload-too-large",
                "a Meta callback is at most " + MAX_CALLBACK_BYTES + " bytes", "body");
    }

    private void listUnroutable(Context ctx) {
        int limit = PartnerApi.limit(ctx);
        String after = ctx.queryParam("after");
        List<InboxCallback> page = inbox.unrouted(limit + 1, after);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        for (InboxCallback c : page.subList(0, Math.min(limit, page.size()))) {
            ObjectNode n = data.addObject();
            n.put("id", c.id());
            n.put("received_at", Times.format(c.receivedAt()));
            n.put("status", c.status().wire());
            n.put("changes", c.changes());
            n.put("unroutable", c.unroutable());
            n.put("relayed", c.relayed());
            n.put("duplicates", c.duplicates());
            n.put("body", c.body());
        }
        out.put("next_cursor", page.size() > limit ? page.get(limit - 1).id() : null);
        Json.send(ctx, 200, out);
    }

    private void setWebhook(Context ctx) {
        Partner p = Auth.partner(ctx);
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "url", "headers", "verify_token", "ordering", "status_order");
        String channel = ctx.pathParam("channel_id");
        // validation and the handshake (network I/O) happen before the audited transaction opens
        ManageMessagingWebhook.Checked checked = webhooks.check(p.id(), channel, new ManageMessagingWebhook.Request(
                Json.optionalString(body, "url"), Json.optionalStringMap(body, "headers"),
                Json.optionalString(body, "verify_token"), Json.optionalString(body, "ordering"),
                Json.optionalString(body, "status_order")));
        Endpoint e = audit.record(Actor.partner(p.id()), "channel_webhook.set", "channel", a -> {
            a.target(channel).before(webhooks.find(p.id(), channel).map(old -> view(old, false)).orElse(null));
            Endpoint set = webhooks.apply(checked);
            a.after(view(set, false));
            return set;
        });
        Json.send(ctx, 200, view(e, true));
    }

    private void getWebhook(Context ctx) {
        Json.send(ctx, 200, view(webhooks.get(Auth.partner(ctx).id(), ctx.pathParam("channel_id")), false));
    }

    private void deleteWebhook(Context ctx) {
        Partner p = Auth.partner(ctx);
        String channel = ctx.pathParam("channel_id");
        audit.record(Actor.partner(p.id()), "channel_webhook.delete", "channel", a -> {
            a.target(channel).before(view(webhooks.get(p.id(), channel), false));
            webhooks.delete(p.id(), channel);
            return null;
        });
        ctx.status(204);
    }

    /** The number's webhook; {@code withSecret} false masks the custom header values and leaves the secret out. */
    public static ObjectNode view(Endpoint e, boolean withSecret) {
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
