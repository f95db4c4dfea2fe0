package io.partnerhooks.core.port;

import io.partnerhooks.core.domain.Partner;
import io.partnerhooks.core.id.PartnerId;
import java.util.Optional;

public interface PartnerStore {
    void insert(Partner partner, String apiKeyHash);

    Optional<Partner> find(PartnerId id);

    /** The partner whose API key hashes to this value. */
    Optional<Partner> findByApiKeyHash(String apiKeyHash);

    /** Every partner by id, at most {@code limit}: the operator's view in the dashboard. */
    java.util.List<Partner> list(int limit);
}
