package io.partnerhooks.server.api.model;

/** One counted quota of a workspace: its limit (0: none), what was used, and the share used in percent. */
public record WorkspaceQuota(long limit, long used, long utilizationPct) {}
