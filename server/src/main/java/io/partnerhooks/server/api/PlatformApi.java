package io.partnerhooks.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.partnerhooks.core.usecase.CreatePartner;
import io.partnerhooks.core.usecase.PublishEvent;

/** {@code /platform/v1/...}: what the platform's own services tell us, with the operator token. */
public final class PlatformApi {
    private final CreatePartner createPartner;
    private final PublishEvent publishEvent;
    private final java.util.function.Consumer<String> published;
    private final io.partnerhooks.core.usecase.AuditTrail audit;
    private final java.util.function.IntConsumer superseded;
    private RouteSpans spans = RouteSpans.NONE;

    public PlatformApi(CreatePartner createPartner, PublishEvent publishEvent, java.util.function.Consumer<String> published,
            io.partnerhooks.core.usecase.AuditTrail audit) {
        this(createPartner, publishEvent, published, audit, n -> {});
    }

    /** {@code superseded} hears how many pending deliveries each publish superseded (metrics). */
    public PlatformApi(CreatePartner createPartner, PublishEvent publishEvent, java.util.function.Consumer<String> published,
            io.partnerhooks.core.usecase.AuditTrail audit, java.util.function.IntConsumer superseded) {
        this.superseded = superseded;
        this.audit = audit;
        this.createPartner = createPartner;
        this.publishEvent = publishEvent;
        this.published = published;
    }

    /** A span around each publish, continuing the platform's {@code traceparent} (ADR 15). */
    public PlatformApi withSpans(RouteSpans s) {
        this.spans = s;
        return this;
    }

    public void register(RoutesConfig r, Auth auth) {
        r.before("/platform/*", auth::requireOperator);
        r.post("/platform/v1/partners", this::createPartner);
        r.post("/platform/v1/events", spans.around("POST /platform/v1/events", this::publish));
        r.post("/platform/v1/events/batch", spans.around("POST /platform/v1/events/batch", this::publishBatch));
    }

    private void createPartner(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "name");
        String name = Json.requiredString(body, "name");
        ObjectNode out = audit.record(io.partnerhooks.core.usecase.AuditTrail.Actor.OPERATOR, "partner.create", "partner", a -> {
            CreatePartner.Created c = createPartner.create(name);
            ObjectNode view = Json.MAPPER.createObjectNode();
            view.put("id", c.partner().id().value());
            view.put("name", c.partner().name());
            view.put("api_key", c.apiKey());
            view.put("created_at", io.partnerhooks.core.domain.Times.format(c.partner().createdAt()));
            a.target(c.partner().id().value()).owner(c.partner().id().value()).after(view);
            return view;
        });
        Json.send(ctx, 201, out);
    }

    private static final String[] EVENT_FIELDS = {"type", "partner_id", "subject", "data", "idempotency_key"};

    /** One event of a publish body; shape errors name the field. */
    private static PublishEvent.Request request(ObjectNode body) {
        Json.onlyFields(body, EVENT_FIELDS);
        String subject = Json.optionalObjectText(body, "subject");
        return new PublishEvent.Request(
                Json.requiredString(body, "type"),
                Json.requiredString(body, "partner_id"),
                subject,
                Json.optionalObjectText(body, "data"),
                Json.optionalString(body, "idempotency_key"),
                null);
    }

    /**
     * {@code POST /platform/v1/events/batch}: up to 500 events, all checked before any is written,
     * then written in one commit; 202 with their ids in request order.
     */
    private void publishBatch(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "events");
        com.fasterxml.jackson.databind.JsonNode list = body.get("events");
        if (list == null || list.isNull()) {
            throw new io.partnerhooks.core.error.InvalidInputException("events", "is required");
        }
        if (!list.isArray()) {
            throw new io.partnerhooks.core.error.InvalidInputException("events", "must be an array of events");
        }
        if (list.size() > PublishEvent.MAX_BATCH) {
            throw new io.partnerhooks.core.error.InvalidInputException("events",
                    "holds " + list.size() + " events; at most " + PublishEvent.MAX_BATCH);
        }
        java.util.List<PublishEvent.Request> requests = new java.util.ArrayList<>(list.size());
        java.util.List<io.partnerhooks.core.error.InvalidInputException.FieldError> errors = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "events[" + i + "]";
            if (!list.get(i).isObject()) {
                errors.add(new io.partnerhooks.core.error.InvalidInputException.FieldError(at, "must be a JSON object"));
                continue;
            }
            try {
                requests.add(request((ObjectNode) list.get(i)));
            } catch (io.partnerhooks.core.error.InvalidInputException e) {
                for (var fe : e.errors()) {
                    errors.add(new io.partnerhooks.core.error.InvalidInputException.FieldError(at + "." + fe.field(),
                            fe.detail()));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new io.partnerhooks.core.error.InvalidInputException(errors);
        }
        java.util.List<PublishEvent.Published> published = publishEvent.publishBatch(requests);
        com.fasterxml.jackson.databind.node.ArrayNode data = Json.MAPPER.createArrayNode();
        for (int i = 0; i < published.size(); i++) {
            PublishEvent.Published p = published.get(i);
            if (p.created()) {
                this.published.accept(requests.get(i).type());
            }
            superseded.accept(p.superseded());
            data.addObject().put("id", p.id().value()).put("created", p.created());
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("data", data);
        Json.send(ctx, 202, out);
    }

    private void publish(Context ctx) {
        ObjectNode body = Json.object(ctx);
        PublishEvent.Published p = publishEvent.publish(request(body));
        if (p.created()) {
            published.accept(body.get("type").asText());
        }
        superseded.accept(p.superseded());
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", p.id().value());
        out.put("created", p.created());
        Json.send(ctx, 202, out);
    }
}
