package io.partnerhooks.core.id;

/** A delivery id; always starts with the prefix {@link Ids#DELIVERY}. */
public record DeliveryId(String value) {
    public DeliveryId {
        Ids.require(value, Ids.DELIVERY, "delivery");
    }

    @Override
    public String toString() {
        return value;
    }
}
