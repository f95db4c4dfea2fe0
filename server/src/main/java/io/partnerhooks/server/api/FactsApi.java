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
import io.partnerhooks.core.usecase.RecordFacts;
import java.util.List;

/** WhatsApp accounts, Public API tokens, clients and channels. */
public final class FactsApi {
    private final RecordFacts facts;

    private final java.util.function.Consumer<String> published;

    public FactsApi(RecordFacts facts, java.util.function.Consumer<String> published) {
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
        RecordFacts.Recorded r = facts.whatsappAccount(ctx.pathParam("workspace_id"), ctx.pathParam("account_id"), connected,
                Json.optionalString(body, "phone_number"), Json.optionalString(body, "user_id"),
                Json.optionalString(body, "reason"));
        send(ctx, r, "whatsapp_account");
    }

    private void rotateToken(Context ctx) {
        RecordFacts.RotatedToken t = facts.rotateApiToken(Auth.partner(ctx).id(), ctx.pathParam("id"));
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
        RecordFacts.Recorded r = facts.upsertClient(ctx.pathParam("client_id"), Json.requiredString(body, "partner_id"),
                Json.optionalString(body, "name"), contact == null || contact.isNull() ? null : (ObjectNode) contact);
        send(ctx, r, "client");
    }

    private void upsertChannel(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "partner_id", "client_id", "phone_number", "phone_name", "phone_number_id", "waba_id",
                "account_mode");
        RecordFacts.Recorded r = facts.upsertChannel(ctx.pathParam("channel_id"), new RecordFacts.ChannelFields(
                Json.requiredString(body, "partner_id"), Json.requiredString(body, "client_id"),
                Json.optionalString(body, "phone_number"), Json.optionalString(body, "phone_name"),
                Json.optionalString(body, "phone_number_id"), Json.optionalString(body, "waba_id"),
                Json.optionalString(body, "account_mode")));
        send(ctx, r, "channel");
    }

    private void transition(Context ctx) {
        ObjectNode body = Json.object(ctx);
        Json.onlyFields(body, "to");
        RecordFacts.Recorded r = facts.transition(ctx.pathParam("channel_id"), Json.optionalString(body, "to"));
        send(ctx, r, "channel");
    }

    private void listChannels(Context ctx) {
        int limit = PartnerApi.limit(ctx);
        List<ObjectNode> page = facts.channels(Auth.partner(ctx).id(), limit + 1, ctx.queryParam("after"));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode data = out.putArray("data");
        page.subList(0, Math.min(limit, page.size())).forEach(data::add);
        out.put("next_cursor", page.size() > limit ? page.get(limit - 1).path("id").asText() : null);
        Json.send(ctx, 200, out);
    }

    private void getChannel(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode ch = facts.channel(Auth.partner(ctx).id(), id)
                .orElseThrow(() -> new NotFoundException("id", "no channel " + id));
        Json.send(ctx, 200, ch);
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
