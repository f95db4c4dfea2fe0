package io.partnerhooks.server.api.model;

/** A quota threshold to add or remove; the use case checks both fields (and that they are there). */
@ApiSchema({"createThreshold request", "deleteThreshold request"})
public record ThresholdRequest(String quota, Integer percent) {}
