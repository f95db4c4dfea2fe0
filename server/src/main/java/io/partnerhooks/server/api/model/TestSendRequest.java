package io.partnerhooks.server.api.model;

/** The event type to send; the endpoint's first subscribed catalog type when left out. */
@ApiSchema("sendTestEvent request")
public record TestSendRequest(String type) {}
