package io.partnerhooks.server.api.model;

import io.partnerhooks.core.domain.InboxCallback;
import java.time.Instant;
import java.util.List;

/** A page of Meta callbacks that were not wholly routed, each with its body as received. */
@ApiSchema("listUnroutableMetaCallbacks 200")
public record UnroutableCallbackPage(List<Callback> data, String nextCursor) {
    /** One stored callback. */
    public record Callback(
            String id,
            Instant receivedAt,
            String status,
            int changes,
            int unroutable,
            int relayed,
            int duplicates,
            String body) {
        public static Callback of(InboxCallback c) {
            return new Callback(
                    c.id(),
                    c.receivedAt(),
                    c.status().wire(),
                    c.changes(),
                    c.unroutable(),
                    c.relayed(),
                    c.duplicates(),
                    c.body());
        }
    }
}
