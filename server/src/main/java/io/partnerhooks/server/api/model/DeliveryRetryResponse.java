package io.partnerhooks.server.api.model;

/** A delivery queued for a new attempt now; {@code status} is always pending. */
@ApiSchema("retryDelivery 202")
public record DeliveryRetryResponse(String id, String status) {}
