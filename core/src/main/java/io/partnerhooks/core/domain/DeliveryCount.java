package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.EventId;

/** How many of an event's deliveries to one endpoint are in one status (the event log's summary). */
public record DeliveryCount(EventId event, EndpointId endpoint, DeliveryStatus status, int count) {}
