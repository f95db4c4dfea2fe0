package io.partnerhooks.server.api;

import io.javalin.http.Context;
import io.partnerhooks.core.domain.StreamConsumer;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.usecase.ReadStream;
import io.partnerhooks.server.api.model.StreamCommitRequest;
import io.partnerhooks.server.api.model.StreamConsumerResponse;
import io.partnerhooks.server.api.model.StreamPageResponse;
import java.util.Arrays;
import java.util.List;

/**
 * The pull stream for partners without a public URL (issue 16 item 2): {@code GET /v1/stream} and
 * its server-side consumers. Events go out in the standard envelope, byte for byte what a
 * delivery in the standard format carries.
 */
public final class StreamRoutes implements RouteGroup {
    private final ReadStream stream;

    public StreamRoutes(ReadStream stream) {
        this.stream = stream;
    }

    @Override
    public void register(Routes r) {
        r.partner()
                .get("/v1/stream", this::read)
                .get("/v1/stream/consumers/{name}", this::consumer)
                .post("/v1/stream/consumers/{name}/commit", this::commit);
    }

    private void read(Context ctx) {
        String types = ctx.queryParam("event_types");
        ReadStream.Page page = stream.read(
                Auth.partner(ctx).id(),
                new ReadStream.Request(
                        ctx.queryParam("after"),
                        ctx.queryParam("consumer"),
                        integer(ctx, "limit"),
                        types == null
                                ? null
                                : Arrays.stream(types.split(",", -1))
                                        .map(String::trim)
                                        .toList(),
                        integer(ctx, "wait"),
                        new SubjectFilter(
                                list(ctx, "workspace_ids"), list(ctx, "channel_ids"), list(ctx, "phone_numbers"))));
        Json.send(ctx, 200, StreamPageResponse.of(page));
    }

    /** A comma-separated query parameter as its values; empty when absent (no narrowing). */
    private static List<String> list(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        return raw == null
                ? List.of()
                : Arrays.stream(raw.split(",", -1)).map(String::trim).toList();
    }

    private void consumer(Context ctx) {
        Json.send(
                ctx,
                200,
                StreamConsumerResponse.of(stream.consumer(Auth.partner(ctx).id(), ctx.pathParam("name"))));
    }

    private void commit(Context ctx) {
        StreamCommitRequest body = Bodies.read(ctx, StreamCommitRequest.class);
        StreamConsumer c = stream.commit(Auth.partner(ctx).id(), ctx.pathParam("name"), body.cursor());
        Json.send(ctx, 200, StreamConsumerResponse.of(c));
    }

    private static Integer integer(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        if (raw == null) {
            return null;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name, "must be a whole number");
        }
    }
}
