package io.partnerhooks.server.api.model;

import java.util.List;

@ApiSchema("listEndpoints 200")
public record EndpointListResponse(List<EndpointResponse> data) {}
