package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A page of a partner's channels; {@code next_cursor} is null on the last page. Each channel is
 * the stored 360dialog-shaped object (its fields in the order they were set) with its
 * {@code messaging_webhook}, so it stays JSON rather than a record.
 */
@ApiSchema("listChannels 200")
public record ChannelListResponse(List<JsonNode> data, String nextCursor) {}
