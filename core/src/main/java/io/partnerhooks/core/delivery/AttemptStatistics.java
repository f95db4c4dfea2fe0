package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.AttemptSample;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a set of attempts says about an endpoint: how many, how many succeeded, nearest-rank p50 /
 * p95 latency, and failures by class. The rate and percentiles are null when there were none.
 */
public record AttemptStatistics(
        int attempts,
        long succeeded,
        Double successRate,
        Long latencyP50Ms,
        Long latencyP95Ms,
        Map<String, Long> failuresByClass) {

    public static AttemptStatistics of(List<AttemptSample> samples) {
        long[] durations =
                samples.stream().mapToLong(AttemptSample::durationMs).sorted().toArray();
        long ok = samples.stream().filter(AttemptSample::success).count();
        Map<String, Long> failures = new TreeMap<>();
        for (AttemptSample s : samples) {
            if (!s.success()) {
                failures.merge(s.failureClass(), 1L, Long::sum);
            }
        }
        if (samples.isEmpty()) {
            return new AttemptStatistics(0, 0, null, null, null, Map.of());
        }
        return new AttemptStatistics(
                samples.size(),
                ok,
                Math.round(ok * 10000.0 / samples.size()) / 10000.0,
                rank(durations, 0.50),
                rank(durations, 0.95),
                Collections.unmodifiableMap(failures));
    }

    private static long rank(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }
}
