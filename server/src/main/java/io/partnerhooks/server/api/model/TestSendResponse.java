package io.partnerhooks.server.api.model;

/** A queued test send; {@code test} is always true (the envelope says so too). */
@ApiSchema("sendTestEvent 202")
public record TestSendResponse(String eventId, String deliveryId, String endpointId, String type, boolean test) {}
