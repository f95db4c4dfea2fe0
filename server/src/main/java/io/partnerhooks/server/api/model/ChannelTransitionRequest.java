package io.partnerhooks.server.api.model;

/** The state a channel moves to; the use case says when it is missing or not allowed. */
@ApiSchema("transitionChannel request")
public record ChannelTransitionRequest(String to) {}
