package io.partnerhooks.server.api.model;

/** The new delivery a resend made, the one it was resent from, and its status (always pending). */
@ApiSchema("resendDelivery 202")
public record DeliveryResendResponse(String id, String resentFrom, String status) {}
