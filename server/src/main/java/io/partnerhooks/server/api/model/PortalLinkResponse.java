package io.partnerhooks.server.api.model;

import java.time.Instant;

/** A one-time dashboard link (shown only here) and when it stops working. */
@ApiSchema("createPortalLink 201")
public record PortalLinkResponse(String url, Instant expiresAt) {}
