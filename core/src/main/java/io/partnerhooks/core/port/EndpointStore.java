package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Endpoint;
import io.partnerhooks.core.id.EndpointId;
import io.partnerhooks.core.id.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every method takes the owning partner first: a query that forgets the owner cannot be written. */
public interface EndpointStore {
    void insert(Endpoint endpoint);

    /** Replaces the mutable fields; false when the endpoint is not the partner's (or is gone). */
    boolean update(PartnerId partner, Endpoint endpoint);

    Optional<Endpoint> find(PartnerId partner, EndpointId id);

    List<Endpoint> list(PartnerId partner);

    List<Endpoint> listEnabled(PartnerId partner);

    /** Removes it from view and fails its pending deliveries, in one transaction. */
    boolean delete(PartnerId partner, EndpointId id, Instant now);
}
