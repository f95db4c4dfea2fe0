package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.EventFilter;
import io.partnerhooks.core.domain.EventTypeFilter;
import io.partnerhooks.core.domain.Page;
import io.partnerhooks.core.error.InvalidInputException;
import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.usecase.PublishEvent;
import io.partnerhooks.core.usecase.ReadEvents;
import io.partnerhooks.server.api.model.BatchPublishResponse;
import io.partnerhooks.server.api.model.EventAcceptedResponse;
import io.partnerhooks.server.api.model.EventPageResponse;
import io.partnerhooks.server.api.model.EventPublishRequest;
import io.partnerhooks.server.api.model.EventResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** Events: the platform publishes them ({@code /platform/v1/events}), a partner reads its log ({@code /v1/events}). */
public final class EventRoutes implements RouteGroup {
    private final ReadEvents events;
    private final PublishEvent publishEvent;
    private final Consumer<String> published;
    private final IntConsumer superseded;
    private final RouteSpans spans;

    /**
     * {@code published} hears the type of each new event, {@code superseded} how many pending
     * deliveries each publish superseded (metrics); {@code spans} wraps each publish in a span
     * continuing the platform's {@code traceparent} (ADR 15).
     */
    public EventRoutes(
            ReadEvents events,
            PublishEvent publishEvent,
            Consumer<String> published,
            IntConsumer superseded,
            RouteSpans spans) {
        this.events = events;
        this.publishEvent = publishEvent;
        this.published = published;
        this.superseded = superseded;
        this.spans = spans;
    }

    @Override
    public void register(Routes r) {
        r.operator()
                .post("/platform/v1/events", spans.around("POST /platform/v1/events", this::publish))
                .post("/platform/v1/events/batch", spans.around("POST /platform/v1/events/batch", this::publishBatch));
        r.partner().get("/v1/events", this::listEvents).get("/v1/events/{id}", this::getEvent);
    }

    /** One event of a publish body, as the use case takes it; shape errors name the field. */
    private static PublishEvent.Request request(ObjectNode body) {
        EventPublishRequest b = Bodies.bind(body, EventPublishRequest.class);
        return new PublishEvent.Request(
                b.type(), b.partnerId(), objectText(b.subject()), objectText(b.data()), b.idempotencyKey(), null);
    }

    /** A subject or data object as compact text; {@code {}} when it was left out or null. */
    private static String objectText(ObjectNode n) {
        return n == null ? "{}" : Json.text(n);
    }

    /**
     * {@code POST /platform/v1/events/batch}: up to 500 events, all checked before any is written,
     * then written in one commit; 202 with their ids in request order.
     */
    private void publishBatch(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "events");
        JsonNode list = body.get("events");
        if (list == null || list.isNull()) {
            throw new InvalidInputException("events", "is required");
        }
        if (!list.isArray()) {
            throw new InvalidInputException("events", "must be an array of events");
        }
        if (list.size() > PublishEvent.MAX_BATCH) {
            throw new InvalidInputException(
                    "events", "holds " + list.size() + " events; at most " + PublishEvent.MAX_BATCH);
        }
        List<PublishEvent.Request> requests = new ArrayList<>(list.size());
        List<InvalidInputException.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "events[" + i + "]";
            if (!list.get(i).isObject()) {
                errors.add(new InvalidInputException.FieldError(at, "must be a JSON object"));
                continue;
            }
            try {
                requests.add(request((ObjectNode) list.get(i)));
            } catch (InvalidInputException e) {
                for (var fe : e.errors()) {
                    errors.add(new InvalidInputException.FieldError(at + "." + fe.field(), fe.detail()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<PublishEvent.Published> published = publishEvent.publishBatch(requests);
        List<EventAcceptedResponse> data = new ArrayList<>(published.size());
        for (int i = 0; i < published.size(); i++) {
            PublishEvent.Published p = published.get(i);
            if (p.created()) {
                this.published.accept(requests.get(i).type());
            }
            superseded.accept(p.superseded());
            data.add(EventAcceptedResponse.of(p));
        }
        Json.send(ctx, 202, new BatchPublishResponse(data));
    }

    private void publish(Context ctx) {
        PublishEvent.Request request = request(Json.object(ctx));
        PublishEvent.Published p = publishEvent.publish(request);
        if (p.created()) {
            published.accept(request.type());
        }
        superseded.accept(p.superseded());
        Json.send(ctx, 202, EventAcceptedResponse.of(p));
    }

    private void listEvents(Context ctx) {
        int limit = Params.limit(ctx);
        String after = ctx.queryParam("after");
        if (after != null && !Ids.looksLike(after, Ids.EVENT)) {
            throw new InvalidInputException("after", "must be the next_cursor of a previous page");
        }
        String type = ctx.queryParam("type");
        if (type != null && EventTypeFilter.checkPattern(type).isPresent()) {
            throw new InvalidInputException("type", "must be an event type, a prefix ending in .*, or *");
        }
        String status = ctx.queryParam("status");
        if (status != null && !status.equals("failed")) {
            throw new InvalidInputException("status", "must be failed (events with a failed delivery)");
        }
        var filter = new EventFilter(
                type,
                Params.time(ctx, "since"),
                Params.time(ctx, "until"),
                status != null,
                subjectId(ctx, "workspace_id"),
                subjectId(ctx, "channel_id"),
                subjectId(ctx, "phone_number"));
        Page<Event> page = events.list(Auth.partner(ctx).id(), filter, limit, after);
        Json.send(ctx, 200, EventPageResponse.of(page));
    }

    private void getEvent(Context ctx) {
        EventId id = Params.eventId(ctx);
        Event e = events.get(Auth.partner(ctx).id(), id);
        Json.send(ctx, 200, EventResponse.of(e));
    }

    private static String subjectId(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v != null && (v.isEmpty() || v.length() > 128)) {
            throw new InvalidInputException(name, "must be 1 to 128 characters");
        }
        return v;
    }
}
