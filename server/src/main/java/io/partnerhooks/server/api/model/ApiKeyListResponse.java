package io.partnerhooks.server.api.model;

import java.util.List;

/** A partner's API keys. */
@ApiSchema("listApiKeys 200")
public record ApiKeyListResponse(List<ApiKeyResponse> data) {}
