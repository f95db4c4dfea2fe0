package io.partnerhooks.core.delivery.formats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.delivery.PayloadFormat;
import io.partnerhooks.core.delivery.Signer;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Event;
import io.partnerhooks.core.domain.Times;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * TimelinesAI Partner API webhooks: a flat object led by {@code workspace_id}, {@code event_type},
 * {@code partner_id} and {@code triggered_at}, then the event's own fields under TimelinesAI's
 * names. Two headers go with it: {@code X-TL-Partner-Id} and {@code X-TL-Signature}, an HS256 JWT
 * with the claims {@code partner_id}, {@code nbf} and {@code exp} (see {@link #jwt}).
 */
public final class TimelinesAiFormat implements PayloadFormat {
    public static final String NAME = "timelinesai";
    /** How far either side of the attempt's time the JWT is valid, like TimelinesAI's own ±3 minute tokens. */
    public static final long JWT_WINDOW_SECONDS = 180;

    private static final Map<String, String> EVENT_TYPES = Map.of(
            "workspace.seats.exhausted", "workspace:seats_full",
            "workspace.quota.messaging.near_limit", "workspace:quota_near_full:messaging",
            "workspace.quota.messaging.exhausted", "workspace:quota_full:messaging",
            "workspace.quota.transactions.exhausted", "workspace:quota_full:transactions",
            "workspace.quota.api_calls.exhausted", "workspace:quota_full:api_calls",
            "whatsapp_account.connected", "whatsapp_account:connected",
            "whatsapp_account.disconnected", "whatsapp_account:disconnected",
            "api_token.rotated", "api_token:rotated");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Override
    public String name() {
        return NAME;
    }

    /** Our type to TimelinesAI's {@code event_type}; the types with none go out in standard form. */
    public static Map<String, String> eventTypes() {
        return EVENT_TYPES;
    }

    @Override
    public Optional<Rendered> render(Event event, Endpoint endpoint, Instant now) {
        String eventType = EVENT_TYPES.get(event.type());
        if (eventType == null) {
            return Optional.empty();
        }
        ObjectNode d = FormatJson.data(event.dataJson());
        ObjectNode out = FormatJson.object();
        FormatJson.copy(d, "workspace_id", out, "workspace_id");
        out.put("event_type", eventType);
        out.put("partner_id", event.partnerId().value());
        String triggered = FormatJson.text(d, "triggered_at");
        out.put("triggered_at", triggered != null ? triggered : Times.format(event.createdAt()));
        switch (event.type()) {
            case "workspace.seats.exhausted" -> {
                FormatJson.copy(d, "seats_purchased", out, "seats_purchased");
                JsonNode bought = d.get("seats_purchased");
                JsonNode used = d.get("seats_used");
                if (bought != null && used != null && bought.canConvertToLong() && used.canConvertToLong()) {
                    out.put("seats_available", Math.max(0, bought.asLong() - used.asLong()));
                }
                period(d, out);
            }
            case "workspace.quota.messaging.near_limit", "workspace.quota.messaging.exhausted" -> {
                FormatJson.copy(d, "quota_limit", out, "messaging_quota_total");
                FormatJson.copy(d, "quota_used", out, "messaging_quota_used");
                FormatJson.copy(d, "utilization_pct", out, "utilization_pct");
                period(d, out);
            }
            case "workspace.quota.transactions.exhausted" -> period(d, out);
            case "workspace.quota.api_calls.exhausted" -> {
                FormatJson.copy(d, "quota_limit", out, "api_calls_limit");
                FormatJson.copy(d, "quota_used", out, "api_calls_used");
                period(d, out);
            }
            case "whatsapp_account.connected", "whatsapp_account.disconnected" -> {
                putId(d, "whatsapp_account_id", out);
                FormatJson.copy(d, "phone_number", out, "phone_number_e164");
                putId(d, "user_id", out);
                if (event.type().endsWith("disconnected")) {
                    FormatJson.copy(d, "changed_at", out, "disconnected_at");
                    FormatJson.copy(d, "reason", out, "reason");
                }
            }
            case "api_token.rotated" -> FormatJson.copy(d, "rotated_at", out, "rotated_at");
            default -> throw new IllegalStateException("unmapped " + event.type());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-tl-partner-id", event.partnerId().value());
        headers.put("x-tl-signature", jwt(event.partnerId().value(), endpoint.secret(), now));
        return Optional.of(new Rendered(FormatJson.bytes(out), headers));
    }

    /**
     * The {@code X-TL-Signature} value: a compact HS256 JWT with the claims {@code partner_id},
     * {@code nbf} (the attempt's time minus {@value #JWT_WINDOW_SECONDS} s) and {@code exp} (plus
     * {@value #JWT_WINDOW_SECONDS} s). The HMAC key is the endpoint's signing secret exactly as the
     * partner sees it, {@code whsec_...} prefix included, as UTF-8 bytes: what a receiver gets by
     * handing the secret string to any JWT library as the HS256 key.
     */
    public static String jwt(String partnerId, String secret, Instant now) {
        long t = now.getEpochSecond();
        ObjectNode claims = FormatJson.object();
        claims.put("partner_id", partnerId);
        claims.put("nbf", t - JWT_WINDOW_SECONDS);
        claims.put("exp", t + JWT_WINDOW_SECONDS);
        String signingInput =
                B64URL.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                        + B64URL.encodeToString(FormatJson.bytes(claims));
        byte[] sig = Signer.hmacSha256(
                secret.getBytes(StandardCharsets.UTF_8), signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(sig);
    }

    private static void period(ObjectNode d, ObjectNode out) {
        FormatJson.copy(d, "billing_period_start", out, "current_period_start");
        FormatJson.copy(d, "billing_period_end", out, "current_period_end");
    }

    /** TimelinesAI's ids are integers; ours may be text. All-digit text goes out as a number, the rest as it is. */
    private static void putId(ObjectNode d, String field, ObjectNode out) {
        JsonNode v = d.get(field);
        if (v == null) {
            return;
        }
        if (v.isTextual() && DIGITS.matcher(v.textValue()).matches()) {
            out.put(field, Long.parseLong(v.textValue()));
        } else {
            out.set(field, v);
        }
    }
}
