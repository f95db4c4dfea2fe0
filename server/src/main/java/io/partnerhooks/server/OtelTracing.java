package io.partnerhooks.server;

import io.javalin.http.Handler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.Tracing;
import io.partnerhooks.server.api.RouteSpans;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The core's {@link Tracing} port and the routes' spans, on the OpenTelemetry SDK (ADR 15). Made
 * only when an OTLP endpoint is configured; without one the server runs with {@link Tracing#NONE}
 * and {@link RouteSpans#NONE}, and no SDK class is touched.
 */
public final class OtelTracing implements Tracing, RouteSpans, AutoCloseable {
    static final AttributeKey<String> ENDPOINT_ID = AttributeKey.stringKey("partnerhooks.endpoint.id");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("partnerhooks.event.type");
    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("partnerhooks.event.id");
    static final AttributeKey<String> DELIVERY_ID = AttributeKey.stringKey("partnerhooks.delivery.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("partnerhooks.attempt.number");
    static final AttributeKey<Long> DURATION_MS = AttributeKey.longKey("partnerhooks.attempt.duration_ms");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("partnerhooks.attempt.outcome");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapGetter<io.javalin.http.Context> REQUEST = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(io.javalin.http.Context ctx) {
            return ctx.headerMap().keySet();
        }

        @Override
        public String get(io.javalin.http.Context ctx, String key) {
            return ctx == null ? null : ctx.header(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    /** Spans go to {@code processor} (tests: a simple processor over an in-memory exporter). */
    public OtelTracing(SpanProcessor processor, String serviceName) {
        this.provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault()
                        .merge(Resource.builder()
                                .put("service.name", serviceName)
                                .put("service.version", App.VERSION)
                                .build()))
                .addSpanProcessor(processor)
                .build();
        this.tracer = provider.get("io.partnerhooks", App.VERSION);
    }

    /** An OTLP/HTTP exporter batching to {@code endpoint} (a collector's base URL; {@code /v1/traces} is added). */
    public static OtelTracing otlp(String endpoint, String serviceName) {
        String url = endpoint.endsWith("/v1/traces") ? endpoint : endpoint.replaceAll("/+$", "") + "/v1/traces";
        return new OtelTracing(
                BatchSpanProcessor.builder(
                                OtlpHttpSpanExporter.builder().setEndpoint(url).build())
                        .build(),
                serviceName);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String currentContext() {
        Span span = Span.current();
        if (!span.getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(Context.current(), carrier, Map::put);
        String parent = carrier.get("traceparent");
        String state = carrier.get("tracestate");
        return state == null || state.isEmpty() ? parent : parent + "\n" + state;
    }

    /** The span context kept as {@link #currentContext()} wrote it; invalid when there is none. */
    static SpanContext parse(String kept) {
        if (kept == null || kept.isEmpty()) {
            return SpanContext.getInvalid();
        }
        int nl = kept.indexOf('\n');
        Map<String, String> carrier = new HashMap<>();
        carrier.put("traceparent", nl < 0 ? kept : kept.substring(0, nl));
        if (nl >= 0) {
            carrier.put("tracestate", kept.substring(nl + 1));
        }
        return Span.fromContext(W3C.extract(Context.root(), carrier, MAP)).getSpanContext();
    }

    @Override
    public AttemptSpan startAttempt(Claimed c, int attemptNumber) {
        var builder = tracer.spanBuilder("webhook attempt")
                .setSpanKind(SpanKind.CLIENT)
                .setNoParent()
                .setAttribute(ENDPOINT_ID, c.endpoint().id().value())
                .setAttribute(EVENT_TYPE, c.event().type())
                .setAttribute(EVENT_ID, c.event().id().value())
                .setAttribute(DELIVERY_ID, c.id().value())
                .setAttribute(ATTEMPT, (long) attemptNumber);
        SpanContext publish = parse(c.event().traceContext());
        if (publish.isValid()) {
            // a link, not a parent: this attempt may come hours after the publish span ended
            builder.addLink(publish);
        }
        Span span = builder.startSpan();
        return new AttemptSpan() {
            @Override
            public String traceparent() {
                Map<String, String> carrier = new HashMap<>();
                W3C.inject(Context.root().with(span), carrier, Map::put);
                return carrier.get("traceparent");
            }

            @Override
            public void end(DeliveryOutcome outcome, long durationMs) {
                span.setAttribute(DURATION_MS, durationMs);
                Integer status = outcome.httpStatus();
                if (status != null) {
                    span.setAttribute(HTTP_STATUS, (long) status);
                }
                String kind = switch (outcome) {
                    case DeliveryOutcome.Delivered d -> "delivered";
                    case DeliveryOutcome.Rejected r -> "rejected";
                    case DeliveryOutcome.TransportError t -> "transport_error";
                    case DeliveryOutcome.Blocked b -> "blocked";
                    case DeliveryOutcome.TimedOut t -> "timed_out";
                };
                span.setAttribute(OUTCOME, kind);
                if (!outcome.succeeded()) {
                    span.setAttribute(ERROR_TYPE, status != null ? Integer.toString(status) : outcome.errorClass());
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            }
        };
    }

    @Override
    public Handler around(String route, Handler handler) {
        int space = route.indexOf(' ');
        String method = route.substring(0, space);
        String path = route.substring(space + 1);
        return ctx -> {
            Context parent = W3C.extract(Context.root(), ctx, REQUEST);
            Span span = tracer.spanBuilder(route)
                    .setSpanKind(SpanKind.SERVER)
                    .setParent(parent)
                    .setAttribute(HTTP_METHOD, method)
                    .setAttribute(HTTP_ROUTE, path)
                    .startSpan();
            try (Scope ignored = span.makeCurrent()) {
                handler.handle(ctx);
                span.setAttribute(HTTP_STATUS, (long) ctx.statusCode());
            } catch (Exception | Error e) {
                // the error handler writes the answer (4xx problem or 500) after the span ends
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ERROR_TYPE, e.getClass().getSimpleName());
                throw e;
            } finally {
                span.end();
            }
        };
    }

    /** Exports what is still buffered, then stops the exporter (at most a few seconds). */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
