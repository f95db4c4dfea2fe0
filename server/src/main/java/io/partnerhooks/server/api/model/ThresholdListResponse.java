package io.partnerhooks.server.api.model;

import java.util.List;

/** A partner's quota thresholds. */
@ApiSchema("listThresholds 200")
public record ThresholdListResponse(List<ThresholdResponse> data) {}
