package io.partnerhooks.core.domain;

/** A partner that was found by one of its keys, and that key. */
public record KeyHolder(Partner partner, ApiKey key) {}
