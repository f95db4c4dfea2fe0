package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.Delivery;
import java.util.List;

/** Every delivery of one event, with their attempts. */
@ApiSchema("listEventDeliveries 200")
public record DeliveryListResponse(List<DeliveryResponse> data) {
    public static DeliveryListResponse of(List<Delivery> deliveries) {
        return new DeliveryListResponse(
                deliveries.stream().map(DeliveryResponse::of).toList());
    }
}
