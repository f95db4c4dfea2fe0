package io.partnerhooks.server;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.partnerhooks.core.delivery.AttemptObserver;
import io.partnerhooks.core.delivery.Dispatcher;
import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.RetentionStore;
import io.prometheus.metrics.core.metrics.Info;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * Prometheus metrics: the process's own ({@code partnerhooks_*}), the HTTP server's
 * ({@code http_server_requests_seconds}) and the JVM's and the process's from Micrometer's
 * binders. Queue figures come from the database (so every node reports the shared queue), read at
 * most once every {@link #QUEUE_READ_EVERY} however often it is scraped.
 */
public final class Metrics implements AttemptObserver, AutoCloseable {
    /** The buckets of every latency histogram: few, round, from a fast answer to the longest timeout. */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };

    static final Duration QUEUE_READ_EVERY = Duration.ofSeconds(2);
    /** The label of requests that matched no route (404, 405): raw paths would make a series per scan. */
    static final String NOT_FOUND = "NOT_FOUND";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DeliveryQueue queue;
    private final Clock clock;
    private final AtomicReference<Cached> cached = new AtomicReference<>(new Cached(0, null));
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private record Cached(long readAtNanos, DeliveryQueue.Stats stats) {}

    public Metrics(DeliveryQueue queue, Clock clock, String version) {
        this.queue = queue;
        this.clock = clock;
        // Two of Micrometer's names break Prometheus' own naming rules (promtool check metrics):
        // the CPU time in nanoseconds is replaced by the customary process_cpu_seconds_total, and
        // a gauge may not end in _count.
        registry.config()
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                });
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu.seconds", os, o -> o.getProcessCpuTime() / 1e9)
                    .description("CPU time the process has used, in seconds")
                    .register(registry);
        }
        // an info metric: always 1, the facts in its labels (Micrometer would drop the _info suffix)
        Info.builder()
                .name("partnerhooks_build_info")
                .help("The running build: its version and the Java runtime's")
                .labelNames("version", "java_version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(version, System.getProperty("java.version"));

        Gauge.builder("partnerhooks_queue_depth", this, m -> m.stats().pending())
                .description("Pending deliveries (due now or later)")
                .register(registry);
        Gauge.builder("partnerhooks_queue_due", this, m -> m.stats().due())
                .description("Pending deliveries that are due now, held ones included")
                .register(registry);
        Gauge.builder("partnerhooks_queue_oldest_due_age_seconds", this, m -> {
                    var s = m.stats();
                    return s.oldestSendableAt() == null
                            ? 0
                            : Math.max(
                                    0,
                                    Duration.between(s.oldestSendableAt(), m.clock.instant())
                                                    .toMillis()
                                            / 1000.0);
                })
                .description("How long the longest-waiting sendable delivery has been due (held ones left out)")
                .register(registry);
        held("cooldown", h -> h.cooldown());
        held("disabled", h -> h.disabled());
        held("rate_limited", h -> h.rateLimited());
        Gauge.builder("partnerhooks_endpoints", this, m -> m.stats().endpointsInCooldown())
                .tag("state", "cooldown")
                .description("Endpoints by health state")
                .register(registry);
        Gauge.builder("partnerhooks_endpoints", this, m -> m.stats().endpointsDisabled())
                .tag("state", "disabled")
                .description("Endpoints by health state")
                .register(registry);
        // shown at zero from the start, so dashboards and alerts see the series before the first increment
        for (String result : new String[] {"success", "failure"}) {
            attempts(result);
        }
        for (String outcome : new String[] {"delivered", "failed", "superseded"}) {
            completed(outcome);
        }
        for (String outcome : new String[] {"delivered", "retry_scheduled", "failed", "superseded"}) {
            deprecatedDeliveries(outcome);
        }
        Counter.builder("partnerhooks_meta_callbacks_total")
                .description(META_CALLBACKS)
                .register(registry);
        Counter.builder("partnerhooks_meta_callbacks_unroutable_total")
                .description(META_UNROUTABLE)
                .register(registry);
        retentionRemoved(new RetentionStore.Removed(0, 0, 0));
        Counter.builder("partnerhooks_audit_entries_total")
                .description("Audit log entries written")
                .register(registry);
    }

    /** The dispatcher's claims against the shared queue: their count and the rows they returned. */
    void dispatcher(Dispatcher d) {
        FunctionCounter.builder("partnerhooks_queue_claims", d, x -> x.claims())
                .description("Claims this node made against the delivery queue that returned deliveries")
                .register(registry);
        FunctionCounter.builder("partnerhooks_queue_claimed_deliveries", d, x -> x.claimedRows())
                .description("Deliveries those claims returned (fresh ones started at publish are not claimed)")
                .register(registry);
    }

    private void held(String reason, ToLongFunction<DeliveryQueue.Held> f) {
        Gauge.builder(
                        "partnerhooks_queue_held_deliveries",
                        this,
                        m -> f.applyAsLong(m.stats().held()))
                .tag("reason", reason)
                .description("Due deliveries held back by their endpoint: cooldown, disabled, rate limit")
                .register(registry);
    }

    private DeliveryQueue.Stats stats() {
        Cached c = cached.get();
        long now = System.nanoTime();
        if (c.stats() == null || now - c.readAtNanos() > QUEUE_READ_EVERY.toNanos()) {
            try {
                c = new Cached(now, queue.stats(clock.instant()));
                cached.set(c);
            } catch (RuntimeException e) {
                // database away: keep showing the last figures rather than failing the scrape
                return c.stats() == null
                        ? new DeliveryQueue.Stats(0, 0, null, 0, 0, DeliveryQueue.Held.NONE)
                        : c.stats();
            }
        }
        return c.stats();
    }

    // ---- HTTP server ----

    /**
     * One answered request. {@code route} is the matched route's template ({@code /v1/endpoints/{id}}),
     * or null when none matched; the status goes in by class (2xx, 4xx, ...).
     */
    public void httpRequest(String method, String route, int status, double millis) {
        String label = route != null ? route : status == 405 ? "METHOD_NOT_ALLOWED" : NOT_FOUND;
        Timer.builder("http_server_requests")
                .tag("method", method)
                .tag("route", label)
                .tag("status", status >= 100 && status < 600 ? (status / 100) + "xx" : "other")
                .serviceLevelObjectives(BUCKETS)
                .description("HTTP requests answered, by route template, method and status class")
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
    }

    // ---- deliveries ----

    /** An event was published (counted by the first segment of its type). */
    public void published(String type) {
        int dot = type.indexOf('.');
        Counter.builder("partnerhooks_events_published_total")
                .tag("domain", dot < 0 ? type : type.substring(0, dot))
                .description("Events published")
                .register(registry)
                .increment();
    }

    @Override
    public void attempted(DeliveryOutcome outcome, long durationMs, Next next) {
        attempts(outcome.succeeded() ? "success" : "failure").increment();
        String legacy = switch (next) {
            case Next.Done d -> "delivered";
            case Next.RetryAt r -> "retry_scheduled";
            case Next.GiveUp g -> "failed";
        };
        deprecatedDeliveries(legacy).increment();
        switch (next) {
            case Next.Done d -> completed("delivered").increment();
            case Next.GiveUp g -> completed("failed").increment();
            case Next.RetryAt r -> {}
        }
        Timer.builder("partnerhooks_attempt_duration")
                .tag("success", Boolean.toString(outcome.succeeded()))
                .serviceLevelObjectives(BUCKETS)
                .description("Duration of one HTTP attempt")
                .register(registry)
                .record(Duration.ofMillis(durationMs));
        if (!outcome.succeeded()) {
            Counter.builder("partnerhooks_attempt_failures_total")
                    .tag("class", outcome.errorClass() != null ? outcome.errorClass() : "http_" + outcome.httpStatus())
                    .description("Failed attempts by error class or status")
                    .register(registry)
                    .increment();
        }
    }

    /**
     * Pending deliveries a newer event of a collapsible type superseded (collapse): final without
     * an attempt.
     */
    public void superseded(int n) {
        if (n > 0) {
            completed("superseded").increment(n);
            deprecatedDeliveries("superseded").increment(n);
        }
    }

    private Counter attempts(String result) {
        return Counter.builder("partnerhooks_delivery_attempts_total")
                .tag("result", result)
                .description("HTTP attempts to deliver, by whether the endpoint accepted")
                .register(registry);
    }

    private Counter completed(String outcome) {
        return Counter.builder("partnerhooks_deliveries_completed_total")
                .tag("outcome", outcome)
                .description("Deliveries that reached a final state: delivered, failed (retries spent) or superseded")
                .register(registry);
    }

    /** Until 0.2: attempts by what came of them, and superseded deliveries, under one name. */
    private Counter deprecatedDeliveries(String outcome) {
        return Counter.builder("partnerhooks_deliveries_total")
                .tag("outcome", outcome)
                .description("DEPRECATED, removed in 0.2: use partnerhooks_delivery_attempts_total"
                        + " and partnerhooks_deliveries_completed_total")
                .register(registry);
    }

    // ---- Meta inbound ----

    private static final String META_CALLBACKS = "Meta callbacks accepted (signature verified, stored)";
    private static final String META_UNROUTABLE = "Changes in Meta callbacks for numbers or accounts nobody registered";

    /** A verified Meta callback was stored. */
    public void metaCallback() {
        Counter.builder("partnerhooks_meta_callbacks_total")
                .description(META_CALLBACKS)
                .register(registry)
                .increment();
    }

    /** Changes of a callback that found no registered channel (kept, listed at /platform/v1/meta/unroutable). */
    public void metaUnroutable(int changes) {
        Counter unroutable = Counter.builder("partnerhooks_meta_callbacks_unroutable_total")
                .description(META_UNROUTABLE)
                .register(registry);
        if (changes > 0) {
            unroutable.increment(changes);
        }
    }

    /** One retention batch removed these rows. */
    public void retentionRemoved(RetentionStore.Removed r) {
        retained("events", r.events());
        retained("deliveries", r.deliveries());
        retained("attempts", r.attempts());
        retained("meta_callbacks", r.metaCallbacks());
        retained("meta_relayed", r.metaRelayed());
    }

    private void retained(String kind, int n) {
        Counter.builder("partnerhooks_retention_removed_total")
                .tag("kind", kind)
                .description("Rows removed by retention")
                .register(registry)
                .increment(n);
    }

    /** An audit row was committed. */
    public void audited() {
        Counter.builder("partnerhooks_audit_entries_total")
                .description("Audit log entries written")
                .register(registry)
                .increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
