package io.partnerhooks.server.api.model;

/** What an audited change was made to: its kind and id. */
public record AuditTarget(String type, String id) {}
