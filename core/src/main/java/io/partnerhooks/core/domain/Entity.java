package io.partnerhooks.core.domain;

/**
 * One of the small stateful facts the platform reports (a WhatsApp account, a client, a channel,
 * an API token): its kind and id, the partner it belongs to, and its state as JSON text.
 */
public record Entity(String kind, String id, String partnerId, String stateJson) {}
