package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A partner to create: its name (the use case checks it is not blank and not too long). */
@ApiSchema("PartnerCreate")
public record PartnerRequest(@JsonProperty(required = true) String name) {}
