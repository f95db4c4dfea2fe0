package io.partnerhooks.server.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.partnerhooks.core.usecase.RecordFacts;

/** A channel as the platform reports it; the use case checks the phone number and the ids. */
@ApiSchema("putChannel request")
public record ChannelRequest(
        @JsonProperty(required = true) String partnerId,
        @JsonProperty(required = true) String clientId,
        String phoneNumber,
        String phoneName,
        String phoneNumberId,
        String wabaId,
        String accountMode) {
    public RecordFacts.ChannelFields fields() {
        return new RecordFacts.ChannelFields(
                partnerId, clientId, phoneNumber, phoneName, phoneNumberId, wabaId, accountMode);
    }
}
