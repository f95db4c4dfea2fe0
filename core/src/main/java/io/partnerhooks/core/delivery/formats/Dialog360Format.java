package io.partnerhooks.core.delivery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.delivery.PayloadFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * 360dialog partner webhooks: {@code {"id","event","data"}} with 360dialog's event names. {@code id}
 * is our event id (the same on every retry, so it dedupes). Channel and client events carry our
 * channel object in {@code data} unchanged: it has every field of the object seed 003 shows, plus a
 * few of ours. Template events and the quality-rating event are reshaped into that channel object
 * ({@code id}, {@code setup_info}, {@code waba_account.id}) with {@code data.template} or
 * {@code data.current_quality_update_event}, as 360dialog sends them. The rest (account, Flow,
 * history, contact sync) carry our data, which follows Meta's fields. No headers of its own: the
 * endpoint's custom headers go out with every delivery.
 */
public final class Dialog360Format implements PayloadFormat {
    public static final String NAME = "360dialog";

    private static final Map<String, String> EVENTS = events();

    private static Map<String, String> events() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("client.created", "client_created");
        m.put("channel.created", "channel_created");
        m.put("channel.submitted", "channel_submitted");
        m.put("channel.ready", "channel_ready");
        m.put("channel.running", "channel_running");
        m.put("channel.live", "channel_live");
        m.put("channel.permission.granted", "channel_permission_granted");
        m.put("channel.permission.revoked", "channel_permission_revoked");
        m.put("channel.billing.started", "channel_subscription_set");
        m.put("channel.cancellation.requested", "cancellation_request");
        m.put("channel.cancellation.withdrawn", "cancellation_revoke");
        m.put("channel.cancellation.completed", "cancellation_processed");
        m.put("channel.template_messaging.enabled", "template_messaging_enabled");
        // or migrated_to_on_premise, by data.to (see render)
        m.put("channel.hosting.migrated", "migrated_to_cloud_api");
        m.put("account.violation.reported", "account_violation");
        m.put("account.restricted", "account_restriction");
        m.put("account.disabled", "DISABLED_UPDATE");
        m.put("account.capability.updated", "business_capability_update");
        m.put("phone_number.quality.changed", "phone_number_quality_changed");
        m.put("template.status.changed", "waba_template_status_changed");
        m.put("template.quality.changed", "waba_template_quality_score_changed");
        m.put("template.category.changed", "waba_template_category_changed");
        m.put("flow.status.changed", "FLOW_STATUS_CHANGE");
        m.put("flow.endpoint.availability.alerted", "ENDPOINT_AVAILABILITY");
        m.put("flow.endpoint.error_rate.alerted", "ENDPOINT_ERROR_RATE");
        m.put("flow.endpoint.latency.alerted", "ENDPOINT_LATENCY");
        m.put("flow.client.error_rate.alerted", "CLIENT_ERROR_RATE");
        m.put("history.chunk.received", "HISTORY");
        m.put("contact.sync.updated", "SMB_APP_STATE_SYNC");
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Our type to 360dialog's {@code event}; the types with none go out in standard form. */
    public static Map<String, String> events360() {
        return EVENTS;
    }

    @Override
    public Optional<Rendered> render(Event event, Endpoint endpoint, Instant now) {
        String name = EVENTS.get(event.type());
        if (name == null) {
            return Optional.empty();
        }
        ObjectNode d = FormatJson.data(event.dataJson());
        ObjectNode data = d;
        switch (event.type()) {
            case "channel.hosting.migrated" -> {
                String to = FormatJson.text(d, "to");
                if ("cloud_api".equals(to)) {
                    name = "migrated_to_cloud_api";
                } else if ("on_premise".equals(to)) {
                    name = "migrated_to_on_premise";
                } else {
                    return Optional.empty();
                }
            }
            case "template.status.changed" ->
                data = template(
                        d,
                        "status",
                        "new_status",
                        "previous_status",
                        "previous_status",
                        "reason",
                        "rejected_reason",
                        "disable_info",
                        "disable_info",
                        "other_info",
                        "other_info");
            case "template.quality.changed" ->
                data = template(
                        d,
                        "new_quality_score",
                        "new_quality_score",
                        "previous_quality_score",
                        "previous_quality_score");
            case "template.category.changed" ->
                data = template(d, "new_category", "new_category", "previous_category", "previous_category");
            case "phone_number.quality.changed" -> {
                data = channelShell(
                        FormatJson.text(d, "channel_id"),
                        FormatJson.text(d, "phone_number"),
                        FormatJson.text(d, "waba_id"));
                FormatJson.copy(d, "phone_number_id", data, "phone_number_id");
                FormatJson.copy(d, "current_quality_rating", data, "current_quality_rating");
                FormatJson.copy(d, "current_limit", data, "current_limit");
                String kind = FormatJson.text(d, "event");
                if (kind != null) {
                    data.put("current_quality_update_event", kind.toLowerCase(Locale.ROOT));
                }
            }
            default -> {
                // 99digital's onboarding hand-outs have no place in 360dialog's channel object.
                data.remove("whatsapp_api_key");
                data.remove("extra_info");
            }
        }
        ObjectNode out = FormatJson.object();
        out.put("id", event.id().value());
        out.put("event", name);
        out.set("data", data);
        return Optional.of(Rendered.body(FormatJson.bytes(out)));
    }

    /** The channel object around {@code template}: our template fields plus the named (ours, theirs) pairs. */
    private static ObjectNode template(ObjectNode d, String... pairs) {
        JsonNode channel = d.path("channel");
        ObjectNode data = channelShell(
                channel.path("id").isTextual() ? channel.get("id").asText() : null,
                channel.path("phone_number").isTextual()
                        ? channel.get("phone_number").asText()
                        : null,
                FormatJson.text(d, "waba_id"));
        ObjectNode template = data.putObject("template");
        if (d.get("template") instanceof ObjectNode t) {
            template.setAll(t);
        }
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            FormatJson.copy(d, pairs[i], template, pairs[i + 1]);
        }
        return data;
    }

    private static ObjectNode channelShell(String channelId, String phoneNumber, String wabaId) {
        ObjectNode data = FormatJson.object();
        if (channelId != null) {
            data.put("id", channelId);
        }
        if (phoneNumber != null) {
            data.putObject("setup_info").put("phone_number", phoneNumber);
        }
        if (wabaId != null) {
            data.putObject("waba_account").put("id", wabaId);
        }
        return data;
    }
}
