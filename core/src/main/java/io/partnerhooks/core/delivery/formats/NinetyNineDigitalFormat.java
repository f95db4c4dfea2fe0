package io.partnerhooks.core.delivery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.delivery.PayloadFormat;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * 99digital Partners API webhooks: a flat object that always starts {@code "status":"OK"} and
 * {@code "event"}, then that event's fields under 99digital's names. {@code whatsapp} events use our
 * {@code whatsapp_extra_info} code table (docs/events.md): 1-3 for a finished onboarding (with
 * {@code daily_limit} and {@code whatsapp_apiKey} when known), 4 disconnected, 5 connected again,
 * 6 daily limit changed. {@code builder} and {@code online} pass their codes through unchanged.
 * {@code partners} and {@code package} were never specified by 99digital; they carry our fields.
 * No headers of its own (99digital only published a source IP).
 */
public final class NinetyNineDigitalFormat implements PayloadFormat {
    public static final String NAME = "99digital";

    private static final Map<String, String> EVENTS = Map.of(
            "channel.created", "whatsapp",
            "channel.disconnected", "whatsapp",
            "channel.connected", "whatsapp",
            "phone_number.limit.changed", "whatsapp",
            "builder.updated", "builder",
            "inbox.updated", "online",
            "workspace.quota.threshold_reached", "partners",
            "package.updated", "package");

    @Override
    public String name() {
        return NAME;
    }

    /** Our type to 99digital's {@code event}; the types with none go out in standard form. */
    public static Map<String, String> events() {
        return EVENTS;
    }

    @Override
    public Optional<Rendered> render(Event event, Endpoint endpoint, Instant now) {
        String name = EVENTS.get(event.type());
        if (name == null) {
            return Optional.empty();
        }
        ObjectNode d = FormatJson.data(event.dataJson());
        ObjectNode out = FormatJson.object();
        out.put("status", "OK");
        out.put("event", name);
        switch (event.type()) {
            case "channel.created", "channel.disconnected", "channel.connected" -> {
                int code = switch (event.type()) {
                    case "channel.disconnected" -> 4;
                    case "channel.connected" -> 5;
                    default -> {
                        JsonNode given = d.get("extra_info");
                        yield given != null && given.isInt() && given.asInt() >= 1 && given.asInt() <= 3
                                ? given.asInt()
                                : 1;
                    }
                };
                whatsapp(
                        out,
                        FormatJson.text(
                                d.path("setup_info") instanceof ObjectNode s ? s : FormatJson.object(), "phone_number"),
                        d,
                        code);
                if (code <= 3) {
                    FormatJson.copy(d, "daily_limit", out, "daily_limit");
                    FormatJson.copy(d, "whatsapp_api_key", out, "whatsapp_apiKey");
                }
            }
            case "phone_number.limit.changed" -> {
                whatsapp(out, FormatJson.text(d, "phone_number"), d, 6);
                FormatJson.copy(d, "current_limit", out, "daily_limit");
            }
            case "builder.updated" -> {
                FormatJson.copy(d, "builder_id", out, "builderID");
                FormatJson.copy(d, "builder_url", out, "builder_url");
                FormatJson.copy(d, "builder_reference", out, "builder_reference");
                FormatJson.copy(d, "extra_info", out, "builder_extra_info");
            }
            case "inbox.updated" -> {
                FormatJson.copy(d, "account_id", out, "accountID");
                FormatJson.copy(d, "agent_id", out, "agentID");
                FormatJson.copy(d, "inbox_id", out, "inboxID");
                FormatJson.copy(d, "server", out, "server");
                FormatJson.copy(d, "reference", out, "online_reference");
                FormatJson.copy(d, "extra_info", out, "online_extra_info");
            }
            case "package.updated" -> {
                FormatJson.copy(d, "package_id", out, "package_id");
                FormatJson.copy(d, "package_name", out, "package_name");
                FormatJson.copy(d, "reference", out, "package_reference");
                FormatJson.copy(d, "extra_info", out, "package_extra_info");
                FormatJson.copy(d, "purchased_at", out, "purchased_at");
            }
            default -> d.fields().forEachRemaining(f -> out.set(f.getKey(), f.getValue()));
        }
        return Optional.of(Rendered.body(FormatJson.bytes(out)));
    }

    private static void whatsapp(ObjectNode out, String phone, ObjectNode d, int code) {
        if (phone != null) {
            // 99digital writes numbers in international form without the plus.
            out.put("whatsapp", phone.startsWith("+") ? phone.substring(1) : phone);
        }
        FormatJson.copy(d, "partner_reference", out, "whatsapp_reference");
        out.put("whatsapp_extra_info", code);
    }
}
