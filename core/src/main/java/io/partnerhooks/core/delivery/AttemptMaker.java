package io.partnerhooks.core.delivery;

import io.partnerhooks.core.domain.Attempt;
import io.partnerhooks.core.id.AttemptId;
import io.partnerhooks.core.id.IdGenerator;
import io.partnerhooks.core.id.Ids;
import io.partnerhooks.core.model.DeliveryOutcome;
import io.partnerhooks.core.port.DeliveryQueue.Claimed;
import io.partnerhooks.core.port.DeliveryQueue.EndpointReport;
import io.partnerhooks.core.port.DeliveryQueue.Next;
import io.partnerhooks.core.port.Tracing;
import io.partnerhooks.core.port.WebhookTransport;
import io.partnerhooks.core.port.WebhookTransport.OutgoingRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * One attempt of one claimed delivery, in three separate steps: prepare the request (render and
 * sign), send it, decide what comes next. The dispatcher strings them together.
 */
public final class AttemptMaker {
    /** What an attempt produced: the row to record and the delivery's next state. */
    public record Result(Attempt attempt, Next next, DeliveryOutcome outcome, EndpointReport report) {}

    private final WebhookTransport transport;
    private final RetryPolicy policy;
    private final EndpointHealthPolicy health;
    private final Clock clock;
    private final DoubleSupplier random;
    private final IdGenerator ids;
    private final String userAgent;
    private final PayloadFormats formats;
    private Tracing tracing = Tracing.NONE;

    public AttemptMaker(
            WebhookTransport transport,
            RetryPolicy policy,
            EndpointHealthPolicy health,
            Clock clock,
            DoubleSupplier random,
            IdGenerator ids,
            String userAgent) {
        this(transport, policy, health, clock, random, ids, userAgent, PayloadFormats.all());
    }

    public AttemptMaker(
            WebhookTransport transport,
            RetryPolicy policy,
            EndpointHealthPolicy health,
            Clock clock,
            DoubleSupplier random,
            IdGenerator ids,
            String userAgent,
            PayloadFormats formats) {
        this.formats = formats;
        this.transport = transport;
        this.policy = policy;
        this.health = health;
        this.clock = clock;
        this.random = random;
        this.ids = ids;
        this.userAgent = userAgent;
    }

    /** Spans for each attempt (ADR 15); {@link Tracing#NONE} unless tracing is configured. Set before the first attempt. */
    public AttemptMaker tracing(Tracing t) {
        this.tracing = t;
        return this;
    }

    public OutgoingRequest prepare(Claimed c, Instant now) {
        PayloadFormat.Rendered rendered = formats.render(c.event(), c.endpoint(), now);
        byte[] body = rendered.body();
        long ts = now.getEpochSecond();
        String msgId = c.event().id().value();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", userAgent);
        // The partner's own headers first (validation keeps them off the names below), then the format's.
        headers.putAll(c.endpoint().profile().headers());
        headers.putAll(rendered.headers());
        headers.put("webhook-id", msgId);
        headers.put("webhook-timestamp", Long.toString(ts));
        // During a rotation both secrets sign, space-separated: receivers holding either one verify.
        StringBuilder signatures = new StringBuilder();
        for (String secret : c.endpoint().signingSecrets(now)) {
            if (!signatures.isEmpty()) {
                signatures.append(' ');
            }
            signatures.append(Signer.sign(secret, msgId, ts, body));
        }
        headers.put("webhook-signature", signatures.toString());
        // Unsigned, like webhook-id: they repeat what the event's record says, for receivers that order.
        headers.put(SEQUENCE_HEADER, Long.toString(c.event().sequence()));
        headers.put(ORDERING_KEY_HEADER, headerSafe(c.event().subjectKey()));
        if (c.event().test()) {
            headers.put(TEST_HEADER, "true");
        }
        return new OutgoingRequest(URI.create(c.endpoint().url()), headers, body);
    }

    public Result attempt(Claimed c) {
        Instant started = clock.instant();
        int number = c.attemptsSoFar() + 1;
        Tracing.AttemptSpan span = tracing.enabled() ? tracing.startAttempt(c, number) : Tracing.AttemptSpan.NONE;
        OutgoingRequest request;
        try {
            request = prepare(c, started);
        } catch (RuntimeException e) {
            span.end(
                    new DeliveryOutcome.TransportError(
                            "prepare_failed", e.getClass().getSimpleName()),
                    0);
            throw e;
        }
        if (c.endpoint().profile().traceContext()) {
            String traceparent = span.traceparent();
            if (traceparent != null) {
                // after signing: like webhook-id it is not part of what the signature covers
                request.headers().put(TRACEPARENT_HEADER, traceparent);
            }
        }
        long t0 = System.nanoTime();
        DeliveryOutcome outcome = transport.send(request);
        long durationMs = (System.nanoTime() - t0) / 1_000_000;
        span.end(outcome, durationMs);
        Instant finished = clock.instant();
        Next next = policy.decide(number, outcome, c.event().createdAt(), finished, random.getAsDouble());
        Attempt attempt = new Attempt(
                new AttemptId(ids.next(Ids.ATTEMPT)),
                number,
                started,
                durationMs,
                outcome.httpStatus(),
                outcome.errorClass(),
                outcome.excerpt(),
                masked(request.headers(), c.endpoint().profile().headers().keySet()),
                bodyAsKept(request.body()));
        return new Result(attempt, next, outcome, reportFor(outcome));
    }

    /** W3C trace context header an endpoint with {@code trace_context} true gets (unsigned). */
    public static final String TRACEPARENT_HEADER = "traceparent";

    /** The event's sequence within its ordering key (1, 2, 3 ...). */
    public static final String SEQUENCE_HEADER = "webhook-sequence";

    /** The ordering key value the sequence counts in, e.g. {@code channel_id:ch_1}. */
    public static final String ORDERING_KEY_HEADER = "webhook-ordering-key";

    /**
     * A key value as a header value: printable ASCII goes as it is, anything else (and {@code %})
     * as percent-encoded UTF-8, so a subject id in any script cannot break the request line.
     */
    static String headerSafe(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            if (u > 0x20 && u < 0x7f && u != '%') {
                sb.append((char) u);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(u >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(u & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Header a test send carries (besides {@code "test": true} in its envelope). */
    public static final String TEST_HEADER = "webhook-test";

    /** What a custom header's value shows in the log (as {@code GET /v1/endpoints/{id}} shows it). */
    public static final String HEADER_MASK = "********";

    /** Every header that carries a signature; none of them is kept in a form that still verifies. */
    public static final Set<String> SIGNATURE_HEADERS =
            Set.of("webhook-signature", "x-hub-signature-256", "x-tl-signature");

    /**
     * The headers as they are kept with the attempt (database, API, dashboard). Each signature keeps
     * its scheme ({@code v1,}, {@code sha256=}) and loses the rest, so the log shows that and how a
     * request was signed without handing out a valid signature; a JWT ({@code x-tl-signature})
     * keeps nothing. The endpoint's custom headers (often credentials) keep their names only.
     * Fails closed: a header is masked when its name matches case-insensitively.
     */
    static Map<String, String> masked(Map<String, String> headers, Set<String> customNames) {
        Set<String> custom = new HashSet<>();
        customNames.forEach(n -> custom.add(n.toLowerCase(Locale.ROOT)));
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (SIGNATURE_HEADERS.contains(lower)) {
                out.put(name, maskSignature(value));
            } else if (custom.contains(lower)) {
                out.put(name, HEADER_MASK);
            } else {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Masks each space-separated signature, keeping a {@code v1,} or {@code sha256=} scheme. */
    public static String maskSignature(String value) {
        StringBuilder sb = new StringBuilder();
        for (String part : value.split(" ")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            int comma = part.indexOf(',');
            int eq = part.indexOf('=');
            if (comma > 0 && comma < 8) {
                sb.append(part, 0, comma + 1);
            } else if (eq > 0 && eq < 8) {
                sb.append(part, 0, eq + 1);
            }
            sb.append("***");
        }
        return sb.toString();
    }

    /** The body as text, cut at {@link Attempt#MAX_REQUEST_BODY} bytes (a cut character decodes as U+FFFD). */
    static String bodyAsKept(byte[] body) {
        int n = Math.min(body.length, Attempt.MAX_REQUEST_BODY);
        return new String(body, 0, n, StandardCharsets.UTF_8);
    }

    private EndpointReport reportFor(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> new EndpointReport.Healthy();
            case DeliveryOutcome.Rejected r
            when r.status() == 410 -> new EndpointReport.Gone(EndpointHealthPolicy.goneReason(r.status()));
            case DeliveryOutcome.Rejected r -> failed();
            case DeliveryOutcome.TransportError t -> failed();
            case DeliveryOutcome.Blocked b -> failed();
            case DeliveryOutcome.TimedOut t -> failed();
        };
    }

    private EndpointReport failed() {
        double r = random.getAsDouble();
        return new EndpointReport.Failed((streak, since, now) -> health.afterFailure(streak, since, now, r));
    }
}
