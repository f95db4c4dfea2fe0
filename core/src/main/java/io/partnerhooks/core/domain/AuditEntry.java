package io.partnerhooks.core.domain;

import java.time.Instant;

/**
 * One change made through the API: who ({@code actorType} partner or operator, and the partner id),
 * what ({@code action} on a target), and the target's state before and after as JSON text with
 * every secret masked (null when there was none: before a create, after a delete).
 * {@code partnerId} is the partner the change concerns (null for operator-only changes).
 */
public record AuditEntry(
        String id,
        String partnerId,
        String actorType,
        String actorId,
        String action,
        String targetType,
        String targetId,
        String beforeJson,
        String afterJson,
        Instant createdAt) {

    public static final String PARTNER = "partner";
    public static final String OPERATOR = "operator";
}
