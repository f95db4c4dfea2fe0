package io.partnerhooks.core.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Times;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one Meta change means in our catalog: the event type, the event data (our summary of it),
 * and for messaging changes, the keys that recognise a redelivery. Pure.
 *
 * <p>The messaging fields go to the number's messaging webhook, unchanged; the other (WhatsApp
 * Business Account) fields become partner events. Which is which follows the issue: messages,
 * smb_message_echoes, smb_app_state_sync and history are messaging fields.
 */
public final class MetaEvents {
    public static final Set<String> MESSAGING_FIELDS =
            Set.of("messages", "smb_message_echoes", "smb_app_state_sync", "history");
    /**
     * Every type {@link #messaging} maps a messaging change to: the types of relays, which go to a
     * number's messaging webhook only (a replay tells relays from other events by type and by the
     * relayed body they carry). Keep in step with {@link #messaging}.
     */
    public static final Set<String> RELAY_TYPES = Set.of(
            "message.echoed",
            "contact.sync.updated",
            "history.chunk.received",
            "contact.number.changed",
            "message.received",
            "message.sent",
            "message.delivered",
            "message.read",
            "message.failed",
            "message.undeliverable",
            "message.held",
            "message.error");
    /** Meta's "Message Undeliverable (Experiments)" error: its own type in our catalog. */
    static final int UNDELIVERABLE_EXPERIMENT = 130472;

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Map<String, String> INTERACTIVE_KINDS = Map.of(
            "button_reply",
            "interactive_button_reply",
            "list_reply",
            "interactive_list_reply",
            "nfm_reply",
            "flow_reply");

    private MetaEvents() {}

    /** A catalog type and its data. */
    public record Mapped(String type, ObjectNode data) {}

    public static boolean isMessaging(String field) {
        return field != null && MESSAGING_FIELDS.contains(field);
    }

    /** The value's {@code metadata.phone_number_id}, or null. */
    public static String phoneNumberId(JsonNode value) {
        JsonNode n = value == null ? null : value.path("metadata").get("phone_number_id");
        return n != null && (n.isTextual() || n.isNumber()) ? n.asText() : null;
    }

    /**
     * One key per message or status the change carries ({@code wamid|message}, {@code wamid|<status>},
     * {@code wamid|echo}); for changes without ids, a hash of the value as received.
     */
    public static List<String> dedupeKeys(MetaCallback.Change c) {
        List<String> keys = new ArrayList<>();
        JsonNode v = c.value();
        for (JsonNode m : v.path("messages")) {
            if (m.hasNonNull("id")) {
                keys.add(m.get("id").asText() + "|message");
            }
        }
        for (JsonNode s : v.path("statuses")) {
            if (s.hasNonNull("id")) {
                keys.add(s.get("id").asText() + "|" + s.path("status").asText("unknown"));
            }
        }
        for (JsonNode m : v.path("message_echoes")) {
            if (m.hasNonNull("id")) {
                keys.add(m.get("id").asText() + "|echo");
            }
        }
        if (keys.isEmpty()) {
            keys.add("sha256:" + sha256(c.field() + "\n" + c.rawValue()));
        }
        return keys;
    }

    /**
     * The dedupe key of a WhatsApp Business Account change (template status, quality, account
     * update, ...): these carry no message id, so the key is a hash of the entry (account) id, the
     * field and the value's bytes as received. A redelivery has the same key; any real change of
     * the value has another.
     */
    public static String accountKey(String wabaId, MetaCallback.Change c) {
        return "waba|sha256:" + sha256(wabaId + "\n" + c.field() + "\n" + c.rawValue());
    }

    /** The catalog type and summary data of a messaging change (its first message or status). */
    public static Mapped messaging(MetaCallback.Change c, String wabaId, Instant receivedAt) {
        JsonNode v = c.value();
        ObjectNode d = base(v, wabaId);
        switch (c.field()) {
            case "smb_message_echoes" -> {
                JsonNode m = v.path("message_echoes").path(0);
                d.put("message_id", m.path("id").asText(""));
                d.put("from", m.path("from").asText(""));
                d.put("to", m.path("to").asText(""));
                d.put("timestamp", time(m.path("timestamp"), receivedAt));
                d.put("kind", m.path("type").asText("unsupported"));
                copyExcept(m, d, Set.of("id", "from", "to", "timestamp", "type"));
                return new Mapped("message.echoed", d);
            }
            case "smb_app_state_sync" -> {
                d.set("state_sync", v.path("state_sync").isArray() ? v.get("state_sync") : F.arrayNode());
                return new Mapped("contact.sync.updated", d);
            }
            case "history" -> {
                JsonNode h = v.path("history").path(0);
                boolean declined = v.has("errors") || h.has("errors");
                d.put("decision", declined ? "declined" : "approved");
                JsonNode meta = h.path("metadata");
                copyIfNumber(meta, d, "phase");
                copyIfNumber(meta, d, "chunk_order");
                copyIfNumber(meta, d, "progress");
                if (h.path("threads").isArray()) {
                    d.set("threads", h.get("threads"));
                }
                if (declined) {
                    d.set("errors", v.has("errors") ? v.get("errors") : h.get("errors"));
                }
                return new Mapped("history.chunk.received", d);
            }
            default -> {
                return messages(v, d, receivedAt);
            }
        }
    }

    private static Mapped messages(JsonNode v, ObjectNode d, Instant receivedAt) {
        JsonNode m = v.path("messages").path(0);
        if (!m.isMissingNode()) {
            String type = m.path("type").asText("unsupported");
            d.put("message_id", m.path("id").asText(""));
            d.put("timestamp", time(m.path("timestamp"), receivedAt));
            if (type.equals("system")) {
                JsonNode sys = m.path("system");
                d.put("old_wa_id", m.path("from").asText(""));
                d.put(
                        "new_wa_id",
                        sys.path("wa_id").asText(sys.path("new_wa_id").asText("")));
                d.put("body", sys.path("body").asText(""));
                return new Mapped("contact.number.changed", d);
            }
            d.put("from", m.path("from").asText(""));
            d.put("kind", kind(m, type));
            JsonNode contact = v.path("contacts").path(0);
            if (contact.isObject()) {
                ObjectNode ct = d.putObject("contact");
                if (contact.path("profile").hasNonNull("name")) {
                    ct.put("name", contact.path("profile").path("name").asText());
                }
                if (contact.hasNonNull("wa_id")) {
                    ct.put("wa_id", contact.get("wa_id").asText());
                }
            }
            copyExcept(m, d, Set.of("id", "from", "timestamp", "type"));
            return new Mapped("message.received", d);
        }
        JsonNode s = v.path("statuses").path(0);
        if (!s.isMissingNode()) {
            String status = s.path("status").asText("");
            d.put("message_id", s.path("id").asText(""));
            d.put("recipient_id", s.path("recipient_id").asText(""));
            d.put("status", status);
            d.put("timestamp", time(s.path("timestamp"), receivedAt));
            copyExcept(s, d, Set.of("id", "recipient_id", "status", "timestamp"));
            String type = switch (status) {
                case "sent", "delivered", "read" -> "message." + status;
                case "failed" -> hasError(s, UNDELIVERABLE_EXPERIMENT) ? "message.undeliverable" : "message.failed";
                // Pacing holds and anything Meta adds later: kept apart rather than mistaken for a known status.
                default -> "message.held";
            };
            return new Mapped(type, d);
        }
        d.set("errors", v.path("errors").isArray() ? v.get("errors") : F.arrayNode());
        return new Mapped("message.error", d);
    }

    /**
     * The partner event for a WhatsApp Business Account change. {@code fallback} is used by the
     * caller when this mapping does not satisfy the catalog's schema for a value Meta shaped
     * differently: {@code account.updated} with the whole value in {@code detail}.
     */
    public static Mapped waba(String field, JsonNode value, String wabaId) {
        ObjectNode d = F.objectNode();
        d.put("waba_id", wabaId);
        ObjectNode v = value != null && value.isObject() ? (ObjectNode) value : F.objectNode();
        String event = v.path("event").asText("");
        switch (field) {
            case "account_update" -> {
                copyExcept(v, d, Set.of());
                String type = switch (event) {
                    case "ACCOUNT_VIOLATION" -> {
                        d.put(
                                "violation_type",
                                v.path("violation_info").path("violation_type").asText(""));
                        yield "account.violation.reported";
                    }
                    case "ACCOUNT_RESTRICTION" -> "account.restricted";
                    case "DISABLED_UPDATE" -> "account.disabled";
                    default -> null;
                };
                if (type != null) {
                    return new Mapped(type, d);
                }
                return fallback(field, value, wabaId);
            }
            case "business_capability_update" -> {
                copyExcept(v, d, Set.of());
                return new Mapped("account.capability.updated", d);
            }
            case "payment_configuration_update" -> {
                copyExcept(v, d, Set.of());
                return new Mapped("account.payment.updated", d);
            }
            case "phone_number_quality_update" -> {
                d.put("phone_number", v.path("display_phone_number").asText(""));
                copyExcept(v, d, Set.of());
                boolean quality = event.equals("FLAGGED") || event.equals("UNFLAGGED");
                return new Mapped(quality ? "phone_number.quality.changed" : "phone_number.limit.changed", d);
            }
            case "phone_number_name_update" -> {
                d.put("phone_number", v.path("display_phone_number").asText(""));
                copyExcept(v, d, Set.of());
                return new Mapped("phone_number.name.updated", d);
            }
            case "message_template_status_update",
                    "message_template_quality_update",
                    "template_category_update",
                    "message_template_components_update" -> {
                ObjectNode t = d.putObject("template");
                putIfPresent(v, t, "message_template_id", "id");
                putIfPresent(v, t, "message_template_name", "name");
                putIfPresent(v, t, "message_template_language", "language");
                copyExcept(v, d, Set.of());
                String type = switch (field) {
                    case "message_template_status_update" -> {
                        d.put("status", event);
                        yield "template.status.changed";
                    }
                    case "message_template_quality_update" -> "template.quality.changed";
                    case "template_category_update" -> "template.category.changed";
                    default -> "template.components.updated";
                };
                return new Mapped(type, d);
            }
            case "flows" -> {
                copyExcept(v, d, Set.of());
                String type = switch (event) {
                    case "FLOW_STATUS_CHANGE" -> "flow.status.changed";
                    case "ENDPOINT_AVAILABILITY" -> "flow.endpoint.availability.alerted";
                    case "ENDPOINT_ERROR_RATE" -> "flow.endpoint.error_rate.alerted";
                    case "ENDPOINT_LATENCY" -> "flow.endpoint.latency.alerted";
                    case "CLIENT_ERROR_RATE" -> "flow.client.error_rate.alerted";
                    default -> null;
                };
                return type == null ? fallback(field, value, wabaId) : new Mapped(type, d);
            }
            default -> {
                return fallback(field, value, wabaId);
            }
        }
    }

    /** {@code account.updated}: the field, Meta's event name when there is one, and the value unchanged. */
    public static Mapped fallback(String field, JsonNode value, String wabaId) {
        ObjectNode d = F.objectNode();
        d.put("waba_id", wabaId);
        d.put("field", field == null ? "" : field);
        if (value != null && value.hasNonNull("event")) {
            d.put("event", value.get("event").asText());
        }
        if (value != null && value.hasNonNull("decision")) {
            d.put("decision", value.get("decision").asText());
        }
        d.set("detail", value != null && value.isObject() ? value : F.objectNode());
        return new Mapped("account.updated", d);
    }

    private static ObjectNode base(JsonNode v, String wabaId) {
        ObjectNode d = F.objectNode();
        d.put("phone_number_id", phoneNumberId(v));
        JsonNode display = v.path("metadata").get("display_phone_number");
        if (display != null && !display.isNull()) {
            d.put("display_phone_number", display.asText());
        }
        if (wabaId != null) {
            d.put("waba_id", wabaId);
        }
        return d;
    }

    private static String kind(JsonNode m, String type) {
        if (type.equals("interactive")) {
            return INTERACTIVE_KINDS.getOrDefault(
                    m.path("interactive").path("type").asText(), "unsupported");
        }
        return switch (type) {
            case "text",
                    "reaction",
                    "image",
                    "video",
                    "audio",
                    "document",
                    "sticker",
                    "location",
                    "contacts",
                    "button",
                    "order",
                    "request_welcome" -> type;
            default -> "unsupported";
        };
    }

    private static boolean hasError(JsonNode s, int code) {
        for (JsonNode e : s.path("errors")) {
            if (e.path("code").asInt() == code) {
                return true;
            }
        }
        return false;
    }

    /** Meta's Unix seconds (a string) as RFC 3339; the receipt time when it is not a number. */
    private static String time(JsonNode ts, Instant receivedAt) {
        try {
            return Times.format(Instant.ofEpochSecond(Long.parseLong(ts.asText())));
        } catch (NumberFormatException e) {
            return Times.format(receivedAt);
        }
    }

    private static void copyExcept(JsonNode from, ObjectNode to, Set<String> skip) {
        from.fields().forEachRemaining(f -> {
            if (!skip.contains(f.getKey()) && !to.has(f.getKey())) {
                to.set(f.getKey(), f.getValue());
            }
        });
    }

    private static void copyIfNumber(JsonNode from, ObjectNode to, String name) {
        if (from.path(name).isNumber()) {
            to.set(name, from.get(name));
        }
    }

    private static void putIfPresent(JsonNode from, ObjectNode to, String name, String as) {
        JsonNode n = from.get(name);
        if (n != null && !n.isNull()) {
            to.put(as, n.asText());
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
