package io.partnerhooks.server.api.model;

/** How long a dashboard link works and whether its session may change anything; defaults when left out. */
@ApiSchema("createPortalLink request")
public record PortalLinkRequest(Long expiresInSeconds, Boolean readOnly) {}
