package io.partnerhooks.server.api.model;

import java.util.List;

/** The answer to a batch publish: one accepted event per event sent, in request order. */
@ApiSchema("publishEventBatch 202")
public record BatchPublishResponse(List<EventAcceptedResponse> data) {}
