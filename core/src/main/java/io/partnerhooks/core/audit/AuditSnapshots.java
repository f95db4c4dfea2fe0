package io.partnerhooks.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.domain.Replay;
import io.partnerhooks.core.domain.SubjectFilter;
import io.partnerhooks.core.domain.Times;
import java.time.Instant;

/**
 * The before and after states the audit trail keeps, made from domain records. The shapes are the
 * stored audit JSON (docs/openapi.yaml, AuditEntry): snake_case, RFC 3339 times. They started as
 * copies of the API's resource views and are kept apart from them on purpose: a change to what the
 * API answers must not change what old and new audit rows look like. {@link SecretMask} masks
 * what is secret before a row is written.
 */
public final class AuditSnapshots {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What a header value shows in an endpoint's state after the change that set it. */
    static final String HEADER_MASK = "********";

    private AuditSnapshots() {}

    /**
     * An endpoint. {@code asCreated}: with its signing secret and header values, as the creating
     * answer shows them (the trail masks both); otherwise header values are masked and the secret left out.
     */
    public static ObjectNode endpoint(Endpoint e, boolean asCreated) {
        ObjectNode n = NODES.objectNode();
        n.put("id", e.id().value());
        n.put("url", e.url());
        ArrayNode types = n.putArray("event_types");
        e.eventTypes().forEach(types::add);
        n.put("description", e.description());
        n.put("enabled", e.enabled());
        n.put("state", e.state());
        n.put(
                "disabled_reason",
                e.enabled()
                        ? null
                        : e.health().disabledReason() != null
                                ? e.health().disabledReason()
                                : "disabled by the partner");
        Instant since = !e.enabled() ? e.health().disabledAt() : e.health().failingSince();
        n.put("state_since", Times.format(since));
        n.put("consecutive_failures", e.health().consecutiveFailures());
        n.put("next_probe_at", Times.format(e.health().probeAfter()));
        n.put("max_in_flight", e.limits().maxInFlight());
        if (e.limits().ratePerSecond() == null) {
            n.putNull("rate_limit_per_second");
        } else {
            n.put("rate_limit_per_second", e.limits().ratePerSecond());
        }
        n.put("format", e.format());
        n.put("collapse", e.profile().collapse());
        n.put("trace_context", e.profile().traceContext());
        n.put("ordering", e.profile().ordering());
        n.set("filter", filter(e.filter()));
        ObjectNode headers = n.putObject("headers");
        e.profile().headers().forEach((k, v) -> headers.put(k, asCreated ? v : HEADER_MASK));
        if (e.profile().channelId() != null) {
            n.put("channel_id", e.profile().channelId());
        }
        n.put("previous_secret_expires_at", Times.format(e.previousSecretExpiresAt()));
        if (asCreated) {
            n.put("secret", e.secret());
        }
        n.put("created_at", Times.format(e.createdAt()));
        n.put("updated_at", Times.format(e.updatedAt()));
        return n;
    }

    /** An endpoint's signing secrets (a rotation's before and after; the trail masks the secrets themselves). */
    public static ObjectNode secrets(Endpoint e) {
        ObjectNode n = NODES.objectNode();
        n.put("secret", e.secret());
        n.put("previous_secret", e.previousSecret());
        n.put("previous_secret_expires_at", Times.format(e.previousSecretExpiresAt()));
        n.put("updated_at", Times.format(e.updatedAt()));
        return n;
    }

    public static ObjectNode replay(Replay r) {
        ObjectNode n = NODES.objectNode();
        n.put("id", r.id().value());
        n.put("endpoint_id", r.endpointId().value());
        n.put("which", r.which().wire());
        n.put("since", Times.format(r.since()));
        n.put("until", Times.format(r.until()));
        if (r.eventTypes() == null) {
            n.putNull("event_types");
        } else {
            ArrayNode types = n.putArray("event_types");
            r.eventTypes().forEach(types::add);
        }
        n.put("state", r.state().wire());
        n.put("matched", r.matched());
        n.put("queued", r.queued());
        n.put("delivered", r.delivered());
        n.put("failed", r.failed());
        n.put("pending", r.pending());
        n.put("created_at", Times.format(r.createdAt()));
        n.put("started_at", Times.format(r.startedAt()));
        n.put("completed_at", Times.format(r.completedAt()));
        return n;
    }

    /** A delivery before a retry: its status and how many attempts it has had. */
    public static ObjectNode deliveryStatus(Delivery d) {
        return NODES.objectNode().put("status", d.status().wire()).put("attempt_count", d.attemptCount());
    }

    /** A delivery as a retry or resend leaves it: pending again. */
    public static ObjectNode pending() {
        return NODES.objectNode().put("status", "pending");
    }

    /** What a resend made: the new delivery's id. */
    public static ObjectNode resentAs(String deliveryId) {
        return NODES.objectNode().put("resent_as", deliveryId);
    }

    /** What a recover did: from when, and how many failed deliveries it queued again. */
    public static ObjectNode recovered(Instant since, int requeued) {
        return NODES.objectNode().put("since", Times.format(since)).put("requeued", requeued);
    }

    private static JsonNode filter(SubjectFilter f) {
        if (f.isEmpty()) {
            return NODES.nullNode();
        }
        ObjectNode n = NODES.objectNode();
        for (String field : SubjectFilter.FIELDS) {
            ArrayNode a = n.putArray(field);
            f.values(field).forEach(a::add);
        }
        return n;
    }
}
