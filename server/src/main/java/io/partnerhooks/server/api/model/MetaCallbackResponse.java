package io.partnerhooks.server.api.model;

import io.partnerhooks.core.usecase.ReceiveMetaCallback;

/** The answer to Meta's callback: the stored callback's id and what became of its changes. */
@ApiSchema("receiveMetaWebhook 200")
public record MetaCallbackResponse(String id, String status, int changes, int relayed, int duplicates, int unroutable) {
    public static MetaCallbackResponse of(ReceiveMetaCallback.Received r) {
        return new MetaCallbackResponse(
                r.callbackId(), r.status().wire(), r.changes(), r.relayed(), r.duplicates(), r.unroutable());
    }
}
