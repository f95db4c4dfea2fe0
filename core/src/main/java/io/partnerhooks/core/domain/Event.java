package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EventId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;

/**
 * One immutable fact. {@code subjectJson} and {@code dataJson} are kept as the JSON text that was
 * accepted, so that what partners receive is byte-for-byte what was published. {@code sequence}
 * counts the partner's events about the same subject ({@code subjectKey}, e.g. one workspace or
 * one channel) from 1, so receivers can order what arrives out of order; the store assigns it.
 * {@code test} marks an event sent by {@code POST /v1/endpoints/{id}/test}: it carries a catalog
 * example, goes to one endpoint only, and says so in its envelope and a header.
 * {@code traceContext}: the publish span's W3C trace context ({@code traceparent}, then a newline
 * and the {@code tracestate} when there is one), null when tracing was off; attempts link to it (ADR 15).
 */
public record Event(
        EventId id,
        PartnerId partnerId,
        String type,
        String subjectJson,
        String dataJson,
        Instant createdAt,
        String idempotencyKey,
        String subjectKey,
        long sequence,
        boolean test,
        String traceContext) {

    public Event(
            EventId id,
            PartnerId partnerId,
            String type,
            String subjectJson,
            String dataJson,
            Instant createdAt,
            String idempotencyKey,
            String subjectKey,
            long sequence,
            boolean test) {
        this(id, partnerId, type, subjectJson, dataJson, createdAt, idempotencyKey, subjectKey, sequence, test, null);
    }

    public Event(
            EventId id,
            PartnerId partnerId,
            String type,
            String subjectJson,
            String dataJson,
            Instant createdAt,
            String idempotencyKey,
            String subjectKey,
            long sequence) {
        this(id, partnerId, type, subjectJson, dataJson, createdAt, idempotencyKey, subjectKey, sequence, false);
    }

    public Event(
            EventId id,
            PartnerId partnerId,
            String type,
            String subjectJson,
            String dataJson,
            Instant createdAt,
            String idempotencyKey) {
        this(id, partnerId, type, subjectJson, dataJson, createdAt, idempotencyKey, Subjects.PARTNER_KEY, 0);
    }

    public Event withSequence(long seq) {
        return new Event(
                id,
                partnerId,
                type,
                subjectJson,
                dataJson,
                createdAt,
                idempotencyKey,
                subjectKey,
                seq,
                test,
                traceContext);
    }

    public Event withTraceContext(String context) {
        return new Event(
                id,
                partnerId,
                type,
                subjectJson,
                dataJson,
                createdAt,
                idempotencyKey,
                subjectKey,
                sequence,
                test,
                context);
    }
}
