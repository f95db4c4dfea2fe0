package io.partnerhooks.core.domain;

import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;

public record Partner(PartnerId id, String name, Instant createdAt) {}
