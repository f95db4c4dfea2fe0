package io.partnerhooks.server.api.model;

import java.util.List;

/** What a batch of usage reports did, one result per report in the order sent. */
@ApiSchema("reportUsageBatch 202")
public record UsageBatchResponse(List<UsageResultResponse> results) {}
