package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Delivery;
import io.partnerhooks.core.domain.Page;
import java.util.List;

/** A page of an endpoint's deliveries, newest first; {@code next_cursor} is null on the last page. */
@ApiSchema("listEndpointDeliveries 200")
public record DeliveryPageResponse(List<DeliveryResponse> data, String nextCursor) {
    public static DeliveryPageResponse of(Page<Delivery> page) {
        return new DeliveryPageResponse(
                page.items().stream().map(DeliveryResponse::of).toList(), page.nextCursor());
    }
}
