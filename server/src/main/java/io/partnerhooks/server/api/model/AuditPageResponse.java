package io.partnerhooks.server.api.model;

import java.util.List;

/** A page of audit entries, newest first; {@code next_cursor} is null on the last page. */
@ApiSchema("AuditPage")
public record AuditPageResponse(List<AuditEntryResponse> data, String nextCursor) {}
