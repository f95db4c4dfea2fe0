package io.partnerhooks.server.api.model;

/** The cursor to store for a stream consumer (a next_cursor of GET /v1/stream); the use case says when it is missing. */
@ApiSchema("commitStreamConsumer request")
public record StreamCommitRequest(String cursor) {}
