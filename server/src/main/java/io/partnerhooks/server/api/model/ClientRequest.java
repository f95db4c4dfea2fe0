package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A client (a partner's customer) as the platform reports it; the use case checks the name. */
@ApiSchema("putClient request")
public record ClientRequest(@JsonProperty(required = true) String partnerId, String name, ObjectNode contactInfo) {}
