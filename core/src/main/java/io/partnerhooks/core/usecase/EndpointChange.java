package io.partnerhooks.core.usecase;

import java.util.List;

/**
 * The fields a partner sets on an endpoint. On create, null means "use the default"; on update,
 * null means "leave as it is".
 */
public record EndpointChange(String url, List<String> eventTypes, String description, Boolean enabled) {}
