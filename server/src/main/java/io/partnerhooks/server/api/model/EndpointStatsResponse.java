package io.partnerhooks.server.api.model;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.usecase.ComputeEndpointStats;
import java.util.Map;

/** An endpoint's attempts over a window; rates and latencies are null when there was no attempt. */
@ApiSchema("getEndpointStats 200")
public record EndpointStatsResponse(
        String endpointId,
        String window,
        int attempts,
        long succeeded,
        Double successRate,
        Long latencyP50Ms,
        Long latencyP95Ms,
        boolean sampled,
        Map<String, Long> failuresByClass) {
    public static EndpointStatsResponse of(EndpointId id, String window, ComputeEndpointStats.Stats computed) {
        var st = computed.figures();
        return new EndpointStatsResponse(
                id.value(),
                window,
                st.attempts(),
                st.succeeded(),
                st.successRate(),
                st.latencyP50Ms(),
                st.latencyP95Ms(),
                computed.sampled(),
                st.failuresByClass());
    }
}
