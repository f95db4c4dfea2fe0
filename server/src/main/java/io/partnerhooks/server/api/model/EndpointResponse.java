package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import io.partnerhooks.core.domain.Endpoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An endpoint. Its custom header values show only in the answer to the call that set them; its
 * signing secret is not here at all (see {@link EndpointWithSecretResponse}).
 */
@ApiSchema("Endpoint")
public record EndpointResponse(
        String id,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        String state,
        String disabledReason,
        Instant stateSince,
        int consecutiveFailures,
        Instant nextProbeAt,
        int maxInFlight,
        Integer rateLimitPerSecond,
        String format,
        boolean collapse,
        boolean traceContext,
        String ordering,
        SubjectFilterView filter,
        Map<String, String> headers,
        @JsonInclude(Include.NON_NULL) String channelId,
        Instant previousSecretExpiresAt,
        Instant createdAt,
        Instant updatedAt) {
    /** What a masked secret-like value shows. */
    public static final String MASK = "********";

    /** The endpoint with its header values masked. */
    public static EndpointResponse of(Endpoint e) {
        return of(e, false);
    }

    static EndpointResponse of(Endpoint e, boolean showHeaders) {
        String reason = e.enabled()
                ? null
                : e.health().disabledReason() != null ? e.health().disabledReason() : "disabled by the partner";
        Instant since = !e.enabled() ? e.health().disabledAt() : e.health().failingSince();
        // Custom headers often carry credentials: their values are shown only in the answer that set them.
        Map<String, String> headers = new LinkedHashMap<>();
        e.profile().headers().forEach((k, v) -> headers.put(k, showHeaders ? v : MASK));
        return new EndpointResponse(
                e.id().value(),
                e.url(),
                List.copyOf(e.eventTypes()),
                e.description(),
                e.enabled(),
                e.state(),
                reason,
                since,
                e.health().consecutiveFailures(),
                e.health().probeAfter(),
                e.limits().maxInFlight(),
                e.limits().ratePerSecond(),
                e.format(),
                e.profile().collapse(),
                e.profile().traceContext(),
                e.profile().ordering(),
                SubjectFilterView.of(e.filter()),
                headers,
                e.profile().channelId(),
                e.previousSecretExpiresAt(),
                e.createdAt(),
                e.updatedAt());
    }
}
