package io.partnerhooks.sdk;

/**
 * A webhook request that must not be trusted. Answer it with a 4xx (400 or 401) and do not act
 * on the body. The message says what was wrong but never includes a secret or an expected
 * signature, so it is safe to log.
 */
public class WebhookVerificationException extends RuntimeException {

    /** Why verification failed, for callers that want to count or log failures by kind. */
    public enum Reason {
        /** One of webhook-id, webhook-timestamp or webhook-signature is absent or blank. */
        MISSING_HEADER,
        /** webhook-timestamp is not a whole number of seconds. */
        INVALID_TIMESTAMP,
        /** webhook-timestamp is further from the receiver's clock than the tolerance allows. */
        TIMESTAMP_OUT_OF_TOLERANCE,
        /** No {@code v1,} signature in webhook-signature matches any of the secrets. */
        NO_MATCHING_SIGNATURE
    }

    private final Reason reason;

    public WebhookVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
