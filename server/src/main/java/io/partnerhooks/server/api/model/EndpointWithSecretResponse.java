package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.partnerhooks.core.domain.Endpoint;

/** The answer to creating an endpoint: the endpoint with its header values, and its signing secret. */
@ApiSchema("EndpointWithSecret")
public record EndpointWithSecretResponse(@JsonUnwrapped EndpointResponse endpoint, String secret) {
    public static EndpointWithSecretResponse of(Endpoint e) {
        return new EndpointWithSecretResponse(EndpointResponse.of(e, true), e.secret());
    }
}
