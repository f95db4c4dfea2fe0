package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.InboxCallback;
import io.partnerhooks.core.meta.MetaSignature;
import io.partnerhooks.core.usecase.ReadMetaInbox;
import io.partnerhooks.core.usecase.ReceiveMetaCallback;
import io.partnerhooks.server.api.model.MetaCallbackResponse;
import io.partnerhooks.server.api.model.UnroutableCallbackPage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Meta inbound ({@code /meta/webhook}: the verification handshake and signed callbacks) and the
 * operator's view of callbacks nobody could take. A number's messaging webhook is a channel's
 * ({@link ChannelRoutes}).
 */
public final class MetaWebhookRoutes implements RouteGroup {
    /** Meta's own limit for a callback; this route takes that much whatever the general body limit is. */
    public static final int MAX_CALLBACK_BYTES = 3 * 1024 * 1024;

    private final ReceiveMetaCallback receive;
    private final ReadMetaInbox inbox;
    private final String verifyToken;
    private final String appSecret;
    private final Runnable counted;
    private final IntConsumer unroutable;
    private final IntConsumer superseded;
    private final RouteSpans spans;

    /**
     * {@code counted}, {@code unroutable}, {@code superseded}: metrics (each callback, its changes
     * nobody could take, the pending deliveries its account events superseded); {@code spans} wraps
     * each callback in a span (ADR 15).
     */
    public MetaWebhookRoutes(
            ReceiveMetaCallback receive,
            ReadMetaInbox inbox,
            String verifyToken,
            String appSecret,
            Runnable counted,
            IntConsumer unroutable,
            IntConsumer superseded,
            RouteSpans spans) {
        this.receive = receive;
        this.inbox = inbox;
        this.verifyToken = verifyToken;
        this.appSecret = appSecret;
        this.counted = counted;
        this.unroutable = unroutable;
        this.superseded = superseded;
        this.spans = spans;
    }

    @Override
    public void register(Routes r) {
        r.open()
                .get("/meta/webhook", this::handshake)
                .post("/meta/webhook", spans.around("POST /meta/webhook", this::callback));
        r.operator().get("/platform/v1/meta/unroutable", this::listUnroutable);
    }

    private void handshake(Context ctx) {
        if (verifyToken == null) {
            throw new Problems.ProblemException(
                    503, "meta-not-configured", "Meta inbound is off: set PARTNERHOOKS_META_VERIFY_TOKEN", null);
        }
        String mode = ctx.queryParam("hub.mode");
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        boolean ok = "subscribe".equals(mode)
                && token != null
                && challenge != null
                && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), verifyToken.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            throw new Problems.ProblemException(
                    403, "forbidden", "hub.mode must be subscribe and hub.verify_token must match", "hub.verify_token");
        }
        ctx.status(200).contentType("text/plain; charset=utf-8").result(challenge);
    }

    private void callback(Context ctx) throws IOException {
        if (appSecret == null) {
            throw new Problems.ProblemException(
                    503, "meta-not-configured", "Meta inbound is off: set PARTNERHOOKS_META_APP_SECRET", null);
        }
        byte[] body = readLimited(ctx);
        if (!MetaSignature.verify(appSecret, body, ctx.header("X-Hub-Signature-256"))) {
            throw new Problems.ProblemException(
                    401,
                    "unauthorized",
                    ctx.header("X-Hub-Signature-256") == null
                            ? "missing X-Hub-Signature-256"
                            : "X-Hub-Signature-256 does not match the body",
                    "X-Hub-Signature-256");
        }
        ReceiveMetaCallback.Received r = receive.receive(body);
        counted.run();
        unroutable.accept(r.unroutable());
        superseded.accept(r.superseded());
        Json.send(ctx, 200, MetaCallbackResponse.of(r));
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
                    in.transferTo(OutputStream.nullOutputStream());
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
        return new Problems.ProblemException(
                413, "payload-too-large", "a Meta callback is at most " + MAX_CALLBACK_BYTES + " bytes", "body");
    }

    private void listUnroutable(Context ctx) {
        int limit = Params.limit(ctx);
        String after = ctx.queryParam("after");
        List<InboxCallback> page = inbox.unrouted(limit + 1, after);
        var data = page.subList(0, Math.min(limit, page.size())).stream()
                .map(UnroutableCallbackPage.Callback::of)
                .toList();
        Json.send(
                ctx,
                200,
                new UnroutableCallbackPage(
                        data, page.size() > limit ? page.get(limit - 1).id() : null));
    }
}
