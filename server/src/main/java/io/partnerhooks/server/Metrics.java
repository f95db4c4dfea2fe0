package io.partnerhooks.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.partnerhooks.core.delivery.AttemptObserver;
import io.partnerhooks.core.delivery.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prometheus metrics, names {@code partnerhooks_*}. Queue figures come from the database (so
 * every node reports the shared queue), read at most once a second however often it is scraped.
 */
public final class Metrics implements AttemptObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DeliveryQueue queue;
    private final Clock clock;
    private final AtomicReference<Cached> cached = new AtomicReference<>(new Cached(0, null));

    private record Cached(long readAtNanos, DeliveryQueue.Stats stats) {}

    public Metrics(DeliveryQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
        Gauge.builder("partnerhooks_queue_depth", this, m -> m.stats().pending())
                .description("Pending deliveries (due now or later)").register(registry);
        Gauge.builder("partnerhooks_queue_due", this, m -> m.stats().due())
                .description("Pending deliveries that are due now").register(registry);
        Gauge.builder("partnerhooks_queue_oldest_due_age_seconds", this, m -> {
            var s = m.stats();
            return s.oldestDueAt() == null ? 0 : Duration.between(s.oldestDueAt(), m.clock.instant()).toMillis() / 1000.0;
        }).description("How long the oldest due delivery has been waiting").register(registry);
        Gauge.builder("partnerhooks_endpoints", this, m -> m.stats().endpointsInCooldown()).tag("state", "cooldown")
                .description("Endpoints by health state").register(registry);
        Gauge.builder("partnerhooks_endpoints", this, m -> m.stats().endpointsDisabled()).tag("state", "disabled")
                .description("Endpoints by health state").register(registry);
        // Shown at zero from the start, so that rate() and alerts see them before the first increment.
        // shown at zero from the start, so dashboards and alerts see the series before the first callback
        Counter.builder("partnerhooks_meta_callbacks_total").description(META_CALLBACKS).register(registry);
        Counter.builder("partnerhooks_meta_callbacks_unroutable_total").description(META_UNROUTABLE).register(registry);
        retentionRemoved(new io.partnerhooks.core.port.RetentionStore.Removed(0, 0, 0));
        Counter.builder("partnerhooks_audit_entries_total").description("Audit log entries written").register(registry);
        superseded(0);
    }

    private DeliveryQueue.Stats stats() {
        Cached c = cached.get();
        long now = System.nanoTime();
        if (c.stats() == null || now - c.readAtNanos() > 1_000_000_000L) {
            try {
                c = new Cached(now, queue.stats(clock.instant()));
                cached.set(c);
            } catch (RuntimeException e) {
                // database away: keep showing the last figures rather than failing the scrape
                return c.stats() == null ? new DeliveryQueue.Stats(0, 0, null, 0, 0) : c.stats();
            }
        }
        return c.stats();
    }

    /** An event was published (counted by the first segment of its type). */
    public void published(String type) {
        int dot = type.indexOf('.');
        Counter.builder("partnerhooks_events_published_total").tag("domain", dot < 0 ? type : type.substring(0, dot))
                .description("Events published").register(registry).increment();
    }

    @Override
    public void attempted(DeliveryOutcome outcome, long durationMs, Next next) {
        String result = switch (next) {
            case Next.Done d -> "delivered";
            case Next.RetryAt r -> "retry_scheduled";
            case Next.GiveUp g -> "failed";
        };
        Counter.builder("partnerhooks_deliveries_total").tag("outcome", result)
                .description("Delivery attempts by what came of them").register(registry).increment();
        Timer.builder("partnerhooks_attempt_duration").tag("success", Boolean.toString(outcome.succeeded()))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .description("Duration of one HTTP attempt").register(registry)
                .record(Duration.ofMillis(durationMs));
        if (!outcome.succeeded()) {
            Counter.builder("partnerhooks_attempt_failures_total")
                    .tag("class", outcome.errorClass() != null ? outcome.errorClass() : "http_" + outcome.httpStatus())
                    .description("Failed attempts by error class or status").register(registry).increment();
        }
    }

    /**
     * Pending deliveries a newer event of a collapsible type superseded (collapse): final without
     * an attempt, counted under the same name as attempts' outcomes.
     */
    public void superseded(int n) {
        Counter c = Counter.builder("partnerhooks_deliveries_total").tag("outcome", "superseded")
                .description("Delivery attempts by what came of them").register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }

    // ---- Meta inbound ----

    private static final String META_CALLBACKS = "Meta callbacks accepted (signature verified, stored)";
    private static final String META_UNROUTABLE = "Changes in Meta callbacks for numbers or accounts nobody registered";

    /** A verified Meta callback was stored. */
    public void metaCallback() {
        Counter.builder("partnerhooks_meta_callbacks_total").description(META_CALLBACKS)
                .register(registry).increment();
    }

    /** Changes of a callback that found no registered channel (kept, listed at /platform/v1/meta/unroutable). */
    public void metaUnroutable(int changes) {
        Counter unroutable = Counter.builder("partnerhooks_meta_callbacks_unroutable_total")
                .description(META_UNROUTABLE).register(registry);
        if (changes > 0) {
            unroutable.increment(changes);
        }
    }

    /** One retention batch removed these rows. */
    public void retentionRemoved(io.partnerhooks.core.port.RetentionStore.Removed r) {
        retained("events", r.events());
        retained("deliveries", r.deliveries());
        retained("attempts", r.attempts());
        retained("meta_callbacks", r.metaCallbacks());
        retained("meta_relayed", r.metaRelayed());
    }

    private void retained(String kind, int n) {
        Counter.builder("partnerhooks_retention_removed_total").tag("kind", kind)
                .description("Rows removed by retention").register(registry).increment(n);
    }

    /** An audit row was committed. */
    public void audited() {
        Counter.builder("partnerhooks_audit_entries_total").description("Audit log entries written")
                .register(registry).increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
