package io.partnerhooks.server.api.model;

/** 360dialog's answer to its webhook_url calls: the URL, or null when none is set. */
@ApiSchema("WebhookUrl360")
public record WebhookUrl360Response(String webhookUrl) {}
