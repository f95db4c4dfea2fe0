package io.partnerhooks.core.domain;

import java.time.Instant;

/** Which audit entries to read; null fields do not filter. {@code until} is exclusive. */
public record AuditFilter(String action, Instant since, Instant until) {}
